package io.habitat.core;

import io.habitat.core.internal.FileLocalStore;
import io.habitat.core.spi.LocalStore;
import java.nio.file.Path;

/** Factories for {@link LocalStore}s. */
public final class LocalStores {
  private LocalStores() {}

  /**
   * The store in a data directory, created if missing and locked for this process until {@link
   * LocalStore#close()}.
   *
   * @throws io.habitat.core.HabitatException if another process (or another supervisor of this JVM)
   *     holds the directory, naming the directory and what to do
   */
  public static LocalStore directory(Path directory) {
    return FileLocalStore.open(directory);
  }
}
