package io.habitat.test.process;

import io.habitat.core.HabitatException;
import io.habitat.core.Term;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fenced resource for tests: one append-only file that leaders, in this JVM or in others, append
 * records to, and that refuses a record whose term is lower than a term it already accepted, as a
 * database or a storage service does with a fencing token ({@link
 * io.habitat.core.LeaderContext#term()}). A leader that was replaced (a frozen or partitioned
 * leader that still believes it leads) is thereby stopped at the resource, whatever it believes.
 *
 * <pre>{@code
 * try (FencedLog log = FencedLog.open(shared, "m1")) {
 *   while (leadership.isLeader()) {
 *     FencedLog.Append append = log.append(leadership.term());
 *     if (!append.accepted()) { ... a higher term wrote: this member is a stale leader ... }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Contract.</b>
 *
 * <ul>
 *   <li><b>Exclusive.</b> An {@link #append} holds an exclusive lock on the file for its whole
 *       read-decide-write step: a lock shared by the writers of this JVM, then {@link
 *       FileChannel#lock()} against writers in other processes. Appends of all writers are thus
 *       serialised in one order, the order of the file.
 *   <li><b>Fenced.</b> Under that lock an append reads the highest term accepted so far (the term
 *       of the file's last record) and accepts its record if the term is <b>equal or higher</b>
 *       (appending {@code <term> <writer> <sequence>} to the file), or <b>rejects</b> it if the
 *       term is lower (appending {@code <term> <writer> <sequence> <highest term>} to the {@link
 *       #rejectionsFile rejections file} beside it, and nothing to the file). The terms of the
 *       file's records therefore never go down, and every rejection is counted where any process
 *       can read it.
 *   <li><b>Sequence.</b> Each writer numbers its attempts 1, 2, 3... whether they are accepted or
 *       rejected; a writer opened again (a restarted process) starts at 1 again.
 *   <li><b>Crash-safe.</b> A record is written with one positional write after every record before
 *       it. If the process dies in the middle ({@code kill -9}), at most the last line is torn (has
 *       no line break): {@link #entries} and {@link #rejections} ignore such a tail, and the next
 *       append cuts it off before it writes, so the torn attempt counts as never made. A record
 *       whose {@link #append} returned survives the crash of its process (the operating system
 *       holds it), but there is no {@code fsync}: a crash of the machine may lose it.
 *   <li><b>Hangs.</b> A writer frozen inside {@link #append} ({@code kill -STOP}) keeps the lock,
 *       like any lock holder: the others wait until it resumes or dies (the operating system
 *       releases the lock of a dead process). Such an append completes as it began, with the
 *       highest term it read before it was frozen.
 * </ul>
 *
 * <p>Readers ({@link #entries}, {@link #rejections}) take no file lock: they see each record whole
 * or not at all, and may read while writers append. Within one JVM every opening and closing of the
 * file goes through the JVM's lock, because closing any channel of a file may release the process's
 * file lock on it.
 *
 * <p>One instance is one writer: thread-safe, its appends one at a time. {@link #close()} it when
 * done; it is idempotent.
 */
public final class FencedLog implements AutoCloseable {

  /** The suffix of the rejections file, beside the log. */
  public static final String REJECTIONS_SUFFIX = ".rejected";

  private static final Pattern WRITER = Pattern.compile("[^\\s]{1,128}");
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final int CHUNK = 512;

  private final Path file;
  private final String writer;
  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private @Nullable FileChannel rejections;
  private long sequence;
  private long accepted;
  private long rejected;
  private boolean closed;

  private FencedLog(Path file, String writer, ReentrantLock jvmLock, FileChannel channel) {
    this.file = file;
    this.writer = writer;
    this.jvmLock = jvmLock;
    this.channel = channel;
  }

  /**
   * Opens the log as the given writer, creating the file (empty) if it does not exist.
   *
   * @param file the log; its directory must exist
   * @param writer the writer's name in the records, for example a member id: 1 to 128 characters
   *     without whitespace
   * @throws IllegalArgumentException if the writer's name is not allowed
   * @throws HabitatException if the file cannot be opened
   */
  public static FencedLog open(Path file, String writer) {
    Objects.requireNonNull(file, "file");
    if (!WRITER.matcher(writer).matches()) {
      throw new IllegalArgumentException(
          "writer '" + writer + "' is not allowed: use 1 to 128 characters without whitespace");
    }
    Path key = key(file);
    ReentrantLock jvmLock = jvmLock(key);
    jvmLock.lock();
    try {
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      return new FencedLog(key, writer, jvmLock, channel);
    } catch (IOException e) {
      throw new HabitatException("cannot open the fenced log " + file + ": " + e, e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Appends a record of the given term if no higher term was accepted before, or records the
   * rejection (see the class comment). Blocks while another writer, in any process, appends.
   *
   * @return whether it was accepted, its sequence, and the highest term accepted before it
   * @throws IllegalStateException if this writer was closed
   * @throws HabitatException if the file cannot be read or written
   */
  public Append append(Term term) {
    Objects.requireNonNull(term, "term");
    jvmLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the fenced log writer " + writer + " is closed");
      }
      FileLock fileLock = channel.lock();
      try {
        long seq = ++sequence;
        Tail tail = tail(channel);
        Term highest = tail.lastTerm();
        if (term.compareTo(highest) >= 0) {
          write(channel, tail.end(), term.value() + " " + writer + " " + seq + "\n");
          accepted++;
          return new Append(true, seq, term, highest);
        }
        FileChannel out = rejectionsChannel();
        write(
            out,
            tail(out).end(),
            term.value() + " " + writer + " " + seq + " " + highest.value() + "\n");
        rejected++;
        return new Append(false, seq, term, highest);
      } finally {
        fileLock.release();
      }
    } catch (IOException e) {
      throw new HabitatException(
          "cannot append term " + term + " of " + writer + " to the fenced log " + file + ": " + e,
          e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * The highest term accepted so far ({@link Term#ZERO} if none), read under the lock.
   *
   * @throws IllegalStateException if this writer was closed
   * @throws HabitatException if the file cannot be read
   */
  public Term highestTerm() {
    jvmLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the fenced log writer " + writer + " is closed");
      }
      FileLock fileLock = channel.lock();
      try {
        return tail(channel).lastTerm();
      } finally {
        fileLock.release();
      }
    } catch (IOException e) {
      throw new HabitatException("cannot read the fenced log " + file + ": " + e, e);
    } finally {
      jvmLock.unlock();
    }
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /** This writer's name. */
  public String writer() {
    return writer;
  }

  /** How many of this writer's appends were accepted. */
  public long accepted() {
    jvmLock.lock();
    try {
      return accepted;
    } finally {
      jvmLock.unlock();
    }
  }

  /** How many of this writer's appends were rejected. */
  public long rejected() {
    jvmLock.lock();
    try {
      return rejected;
    } finally {
      jvmLock.unlock();
    }
  }

  /** Closes this writer's channels; the file stays. Idempotent. */
  @Override
  public void close() {
    jvmLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(channel);
      FileChannel out = rejections;
      if (out != null) {
        closeQuietly(out);
      }
    } finally {
      jvmLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "FencedLog[" + file + ", writer " + writer + "]";
  }

  /** Where the rejections of the log {@code file} are recorded. */
  public static Path rejectionsFile(Path file) {
    return file.resolveSibling(file.getFileName() + REJECTIONS_SUFFIX);
  }

  /**
   * The accepted records, in file order, without a torn last line; empty if the file does not
   * exist.
   *
   * @throws IllegalStateException if a complete line is not a record (the file is not a fenced log)
   * @throws HabitatException if the file cannot be read
   */
  public static List<Entry> entries(Path file) {
    List<Entry> entries = new ArrayList<>();
    int number = 0;
    for (String line : completeLines(file)) {
      number++;
      String[] words = line.split(" ", -1);
      if (words.length != 3) {
        throw notARecord(file, number, line);
      }
      entries.add(
          new Entry(
              number(file, number, line, words[0]),
              words[1],
              number(file, number, line, words[2])));
    }
    return entries;
  }

  /**
   * The rejected attempts on the log {@code file}, in the order they were made, without a torn last
   * line; empty if there were none.
   *
   * @throws IllegalStateException if a complete line is not a rejection
   * @throws HabitatException if the rejections file cannot be read
   */
  public static List<Rejection> rejections(Path file) {
    Path path = rejectionsFile(file);
    List<Rejection> rejections = new ArrayList<>();
    int number = 0;
    for (String line : completeLines(path)) {
      number++;
      String[] words = line.split(" ", -1);
      if (words.length != 4) {
        throw notARecord(path, number, line);
      }
      rejections.add(
          new Rejection(
              number(path, number, line, words[0]),
              words[1],
              number(path, number, line, words[2]),
              number(path, number, line, words[3])));
    }
    return rejections;
  }

  /**
   * An accepted record.
   *
   * @param term the writer's term
   * @param writer the writer's name
   * @param sequence the writer's attempt number
   */
  public record Entry(long term, String writer, long sequence) {

    /** Checks that the writer is not null. */
    public Entry {
      Objects.requireNonNull(writer, "writer");
    }
  }

  /**
   * A rejected attempt.
   *
   * @param term the writer's term
   * @param writer the writer's name
   * @param sequence the writer's attempt number
   * @param highestTerm the higher term the log had accepted before
   */
  public record Rejection(long term, String writer, long sequence, long highestTerm) {

    /** Checks that the writer is not null. */
    public Rejection {
      Objects.requireNonNull(writer, "writer");
    }
  }

  /**
   * The outcome of one {@link #append}.
   *
   * @param accepted whether the record was appended to the log
   * @param sequence the writer's number of this attempt
   * @param term the term of the attempt
   * @param highestTerm the highest term the log had accepted before this attempt
   */
  public record Append(boolean accepted, long sequence, Term term, Term highestTerm) {

    /** Checks that the terms are not null. */
    public Append {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(highestTerm, "highestTerm");
    }
  }

  // ------------------------------------------------------------------ internals

  private FileChannel rejectionsChannel() throws IOException {
    FileChannel out = rejections;
    if (out == null) {
      out =
          FileChannel.open(
              rejectionsFile(file),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      rejections = out;
    }
    return out;
  }

  /**
   * The end of the last complete line of a channel (0 if none) and that line's term; a torn tail
   * after it is cut off.
   */
  private static Tail tail(FileChannel channel) throws IOException {
    long size = channel.size();
    long end = lastLineBreak(channel, size) + 1;
    if (end < size) {
      channel.truncate(end);
    }
    if (end == 0) {
      return new Tail(0, Term.ZERO);
    }
    long start = lastLineBreak(channel, end - 1) + 1;
    ByteBuffer line = ByteBuffer.allocate(Math.toIntExact(end - 1 - start));
    readFully(channel, line, start);
    String text = new String(line.array(), StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    try {
      return new Tail(end, Term.of(Long.parseLong(space < 0 ? text : text.substring(0, space))));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "the last record of the fenced log does not start with a term: '" + text + "'", e);
    }
  }

  /** The position of the last line break before {@code limit}, or -1. */
  private static long lastLineBreak(FileChannel channel, long limit) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long to = limit;
    while (to > 0) {
      long from = Math.max(0, to - CHUNK);
      buffer.clear().limit(Math.toIntExact(to - from));
      readFully(channel, buffer, from);
      for (int i = buffer.limit() - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return from + i;
        }
      }
      to = from;
    }
    return -1;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("the file ended at " + at + " while reading a record");
      }
      at += read;
    }
  }

  private static void write(FileChannel channel, long position, String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private static List<String> completeLines(Path file) {
    ReentrantLock jvmLock = jvmLock(key(file));
    byte[] bytes;
    jvmLock.lock();
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new HabitatException("cannot read " + file + ": " + e, e);
    } finally {
      jvmLock.unlock();
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return lines;
  }

  private static long number(Path file, int lineNumber, String line, String word) {
    try {
      long value = Long.parseLong(word);
      if (value < 0) {
        throw notARecord(file, lineNumber, line);
      }
      return value;
    } catch (NumberFormatException e) {
      throw notARecord(file, lineNumber, line);
    }
  }

  private static IllegalStateException notARecord(Path file, int lineNumber, String line) {
    return new IllegalStateException(
        "line " + lineNumber + " of " + file + " is not a fenced log record: '" + line + "'");
  }

  /** The key of a file in the JVM's lock table: its absolute, normalised path. */
  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  private static ReentrantLock jvmLock(Path key) {
    return JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was buffered: every append wrote through before it returned
    }
  }

  /** The end of a channel's last complete line and that line's term. */
  private record Tail(long end, Term lastTerm) {}
}
