package io.habitat.core.internal;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.MemberRecord;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LocalStore} in a locked data directory.
 *
 * <p>Layout:
 *
 * <pre>
 * &lt;dir&gt;/.lock                                          exclusive lock, holds the holder's PID
 * &lt;dir&gt;/groups/&lt;service.group[@org]&gt;/member.properties  one {@link MemberRecord} per group
 * </pre>
 *
 * <p>The lock is an OS file lock ({@link FileChannel#tryLock()}) on {@code .lock}, held from {@link
 * #open} to {@link #close}; the OS releases it when the process dies, so a crash never leaves a
 * stale lock. A directory is also registered per JVM, so a second open in the same process is
 * refused without opening a second channel on the lock file (closing it would drop the first
 * channel's POSIX lock).
 *
 * <p>{@link #save} writes a temporary file, forces it to disk, renames it atomically over {@code
 * member.properties} and forces the directory: after a crash the file holds the old record or the
 * new one, never a torn one. The file is versioned ({@code format=1}); a file this version cannot
 * read is an error, never silently reset, because it holds the highest term the member has seen.
 *
 * <p>Thread-safe (every method is {@code synchronized}); the supervisor calls it from its event
 * loop. {@link #save} blocks until the record is durable.
 */
public final class FileLocalStore implements LocalStore {

  /** The version of {@code member.properties} this class writes and reads. */
  static final int FORMAT = 1;

  static final String LOCK_FILE = ".lock";
  static final String GROUPS_DIR = "groups";
  static final String RECORD_FILE = "member.properties";

  private static final String WHAT_TO_DO =
      "give each member its own data directory, or stop the other process";

  /** The data directories this JVM holds, by real path. */
  private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<ServiceGroup, Optional<MemberRecord>> cache = new HashMap<>();
  private boolean closed;

  private FileLocalStore(Path directory, FileChannel lockChannel, FileLock lock) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates the directory if missing and locks it for this process.
   *
   * @throws IllegalArgumentException if the path is empty
   * @throws HabitatException if another process or another store of this JVM holds the directory,
   *     or it cannot be created or locked
   */
  public static FileLocalStore open(Path directory) {
    if (directory.toString().isEmpty()) {
      throw new IllegalArgumentException("data directory is empty: name a directory");
    }
    Path dir;
    try {
      Files.createDirectories(directory);
      dir = directory.toRealPath();
    } catch (IOException e) {
      throw new HabitatException(
          "cannot create data directory "
              + directory.toAbsolutePath()
              + ": "
              + e
              + "; check that the path is a directory the process may write",
          e);
    }
    if (!OPEN_DIRECTORIES.add(dir)) {
      throw new HabitatException(
          "data directory "
              + dir
              + " is already open in this process (PID "
              + ProcessHandle.current().pid()
              + "): "
              + WHAT_TO_DO
              + " (or close the store that holds it)");
    }
    try {
      return lock(dir);
    } catch (RuntimeException e) {
      OPEN_DIRECTORIES.remove(dir);
      throw e;
    }
  }

  private static FileLocalStore lock(Path dir) {
    Path lockFile = dir.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new HabitatException(
          "cannot open lock file " + lockFile + ": " + e + "; check the directory's permissions",
          e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        throw new HabitatException(
            "data directory "
                + dir
                + " is already locked by this process (PID "
                + ProcessHandle.current().pid()
                + "): "
                + WHAT_TO_DO,
            e);
      }
      if (lock == null) {
        throw new HabitatException(
            "data directory " + dir + " is locked by " + holder(channel) + ": " + WHAT_TO_DO);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new FileLocalStore(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      if (e instanceof RuntimeException runtimeException) {
        throw runtimeException;
      }
      throw new HabitatException(
          "cannot lock data directory " + dir + " (" + lockFile + "): " + e, e);
    }
  }

  /** Who holds the lock, as far as the lock file tells. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      channel.read(buffer, 0);
      buffer.flip();
      String text = StandardCharsets.US_ASCII.decode(buffer).toString().trim();
      long pid = Long.parseLong(text);
      return "another process (PID " + pid + ")";
    } catch (IOException | NumberFormatException e) {
      return "another process (its PID could not be read from the lock file)";
    }
  }

  /** The locked directory (its real path). */
  public Path directory() {
    return directory;
  }

  @Override
  public synchronized Optional<MemberRecord> load(ServiceGroup group) {
    checkOpen();
    Optional<MemberRecord> cached = cache.get(group);
    if (cached != null) {
      return cached;
    }
    Optional<MemberRecord> loaded = read(groupDirectory(group), RECORD_FILE);
    cache.put(group, loaded);
    return loaded;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the record's highest term is lower than the stored one (terms
   *     never go back), or the store is closed
   */
  @Override
  public synchronized void save(ServiceGroup group, MemberRecord record) {
    checkOpen();
    Optional<MemberRecord> stored = load(group);
    if (stored.isPresent() && stored.get().highestTerm().isAfter(record.highestTerm())) {
      throw new IllegalStateException(
          "cannot save highest term "
              + record.highestTerm()
              + " for group "
              + group
              + ": term "
              + stored.get().highestTerm()
              + " is already stored in "
              + recordFile(group)
              + " and terms never go back");
    }
    Path groupDirectory = groupDirectory(group);
    Path file = groupDirectory.resolve(RECORD_FILE);
    try {
      createDirectoryDurably(groupDirectory);
      Path temporary = file.resolveSibling(RECORD_FILE + ".tmp");
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(format(record).getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new HabitatException(
            "cannot save member record to "
                + file
                + ": the file system does not rename atomically; put the data directory on a"
                + " local file system",
            e);
      }
      forceDirectory(groupDirectory);
    } catch (IOException e) {
      cache.remove(group);
      throw new HabitatException(
          "cannot save member record for group "
              + group
              + " to "
              + file
              + ": "
              + e
              + "; check free disk space and the permissions of "
              + directory,
          e);
    }
    cache.put(group, Optional.of(record));
  }

  /** Releases the lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    cache.clear();
    try {
      // Empty the PID first, so that nobody reads a stale PID once the lock is released.
      lockChannel.truncate(0);
    } catch (IOException e) {
      // the PID is informative only; the lock is released below either way
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new HabitatException("cannot release the lock of data directory " + directory, e);
    } finally {
      OPEN_DIRECTORIES.remove(directory);
    }
  }

  @Override
  public String toString() {
    return "FileLocalStore[" + directory + (closed ? ", closed]" : "]");
  }

  Path recordFile(ServiceGroup group) {
    return groupDirectory(group).resolve(RECORD_FILE);
  }

  private Path groupDirectory(ServiceGroup group) {
    return directory.resolve(GROUPS_DIR).resolve(group.toString());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the store of data directory " + directory + " is closed; open it again");
    }
  }

  /** Creates a directory and its missing parents under the data directory, each made durable. */
  private void createDirectoryDurably(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null && !parent.equals(directory)) {
      createDirectoryDurably(parent);
    }
    Files.createDirectories(dir);
    if (parent != null) {
      forceDirectory(parent);
    }
  }

  /** Forces a directory's entries to disk; a file system that refuses it is ignored. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems (and platforms) cannot open or force a directory; the rename is then
      // as durable as they make it.
    }
  }

  static String format(MemberRecord record) {
    return "# Habitat member record. Do not edit: it holds the highest term this member has seen.\n"
        + "format="
        + FORMAT
        + "\nmember-id="
        + record.memberId().value()
        + "\nhighest-term="
        + record.highestTerm().value()
        + "\ninitialised="
        + record.initialised()
        + "\ninitialised-term="
        + record.initialisedTerm().value()
        + "\nmembership-term="
        + record.membership().term()
        + "\nmembership-version="
        + record.membership().version()
        + "\nvoters="
        + String.join(",", record.membership().voters().stream().map(MemberId::value).toList())
        + "\n"
        + formatGroupConfig(record.groupConfig());
  }

  private static String formatGroupConfig(@Nullable GroupConfig c) {
    if (c == null) {
      return "";
    }
    return "config-version="
        + c.version()
        + "\nconfig-term="
        + c.term().value()
        + "\nconfig-format="
        + c.format().configName()
        + "\nconfig-sha256="
        + c.digest()
        + "\nconfig-document-base64="
        + Base64.getEncoder().encodeToString(c.document().getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  private static @Nullable GroupConfig parseGroupConfig(Properties properties) {
    if (properties.getProperty("config-version") == null) {
      return null;
    }
    long version = parseTerm(properties, "config-version").value();
    Term term = parseTerm(properties, "config-term");
    ConfigFormat format = ConfigFormat.parse(required(properties, "config-format"));
    String digest = required(properties, "config-sha256");
    String document;
    try {
      document =
          new String(
              Base64.getDecoder().decode(required(properties, "config-document-base64")),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'config-document-base64' is not base64", e);
    }
    if (!GroupConfigs.sha256(document).equals(digest)) {
      throw new IllegalArgumentException("the group config document does not match its sha256");
    }
    return new GroupConfig(version, term, digest, format, document);
  }

  private static Optional<MemberRecord> read(Path groupDirectory, String fileName) {
    Path file = groupDirectory.resolve(fileName);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw corrupt(groupDirectory, file, "it cannot be read (" + e + ")", e);
    }
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw corrupt(groupDirectory, file, "it is not a properties file (" + e + ")", e);
    }
    String format = properties.getProperty("format");
    if (format == null) {
      throw corrupt(groupDirectory, file, "it has no 'format' line", null);
    }
    if (!format.equals(Integer.toString(FORMAT))) {
      throw new HabitatException(
          "member record "
              + file
              + " has format="
              + format
              + ", which this version does not read (it reads format="
              + FORMAT
              + "): it was written by another version of the library; run that version, or"
              + " restore the file from a backup (do not delete it: it holds the highest term"
              + " this member has seen)");
    }
    try {
      MemberId memberId = MemberId.of(required(properties, "member-id"));
      Term highestTerm = parseTerm(properties, "highest-term");
      boolean initialised = parseBoolean(required(properties, "initialised"));
      Term initialisedTerm = parseTerm(properties, "initialised-term");
      MemberRecord.Membership membership = MemberRecord.Membership.NONE;
      if (properties.getProperty("membership-term") != null) {
        String voters = required(properties, "voters");
        membership =
            new MemberRecord.Membership(
                parseTerm(properties, "membership-term").value(),
                parseTerm(properties, "membership-version").value(),
                voters.isEmpty()
                    ? java.util.List.of()
                    : java.util.Arrays.stream(voters.split(",", -1)).map(MemberId::of).toList());
      }
      return Optional.of(
          new MemberRecord(
              memberId,
              highestTerm,
              initialised,
              initialisedTerm,
              membership,
              parseGroupConfig(properties)));
    } catch (IllegalArgumentException e) {
      throw corrupt(groupDirectory, file, String.valueOf(e.getMessage()), e);
    }
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("it has no '" + key + "' line");
    }
    return value.trim();
  }

  private static Term parseTerm(Properties properties, String key) {
    String value = required(properties, key);
    try {
      return Term.of(Long.parseLong(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + key + "' is '" + value + "', expected a whole number 0 or more", e);
    }
  }

  private static boolean parseBoolean(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "'initialised' is '" + value + "', expected true or false");
    };
  }

  private static HabitatException corrupt(
      Path groupDirectory, Path file, String what, @Nullable Throwable cause) {
    String message =
        "member record "
            + file
            + " is corrupt: "
            + what
            + ". It holds the highest term this member has seen, which must never go back, so it"
            + " is not reset: restore it from a backup; if that is not possible, delete the"
            + " directory "
            + groupDirectory
            + " and start the member with a new member id";
    return cause == null ? new HabitatException(message) : new HabitatException(message, cause);
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
