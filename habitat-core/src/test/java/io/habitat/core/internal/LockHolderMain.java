package io.habitat.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link FileLocalStoreTest}: opens the store in {@code args[0]}, prints {@code
 * locked}, then holds it until a line or the end of its standard input.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws IOException {
    try (FileLocalStore store = FileLocalStore.open(Path.of(args[0]))) {
      System.out.println("locked " + store.directory());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
