package io.habitat.samples.initializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data of one node: keys to values, each stamped with the term of the leader that wrote it, and
 * a log of changes numbered from 1, so that a follower can ask for the changes after the last one
 * it has. Saved to a file after every change (written to a temporary file, then moved), so a
 * restarted node keeps its data. Thread-safe: every method is synchronized.
 */
final class KvStore {

  /** Keys: 1 to 128 letters, digits, dots, dashes or underscores. */
  static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** The longest value accepted, in characters. */
  static final int MAX_VALUE_CHARS = 4096;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One value, the term of the leader that wrote it, and the change that wrote it. */
  record Entry(String value, long term, long version) {}

  /** One change: the {@code version}-th write. */
  record Change(long version, String key, String value, long term) {}

  /** All the data at one version. */
  record Snapshot(long version, Map<String, Entry> entries) {
    Snapshot {
      entries = new TreeMap<>(entries);
    }
  }

  private final @Nullable Path file;
  private final TreeMap<String, Entry> entries = new TreeMap<>();
  private final List<Change> log = new ArrayList<>();
  private long version;

  /** The version of the first change the log holds; earlier ones came with a snapshot. */
  private long logStart = 1;

  /** A store saved to {@code file} (loaded from it if it exists), or only in memory if null. */
  KvStore(@Nullable Path file) {
    this.file = file;
    if (file != null && Files.exists(file)) {
      try {
        load(JSON.readValue(file.toFile(), Snapshot.class));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cannot read the key-value data in "
                + file
                + " ("
                + e.getMessage()
                + "); delete the file to start this node empty",
            e);
      }
    }
  }

  /** Checks a key and a value as a client sent them; the message says what is wrong. */
  static void check(String key, String value) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key '" + key + "' is not 1 to 128 letters, digits, dots, dashes or underscores");
    }
    if (value.length() > MAX_VALUE_CHARS) {
      throw new IllegalArgumentException(
          "value of '" + key + "' has " + value.length() + " characters; the limit is 4096");
    }
  }

  /** Writes one value (on the leader of {@code term}) and returns the change. */
  synchronized Change put(String key, String value, long term) {
    check(key, value);
    Change c = new Change(version + 1, key, value, term);
    apply(c);
    return c;
  }

  /**
   * Applies a change copied from the leader; returns false (and changes nothing) if out of order.
   */
  synchronized boolean apply(Change c) {
    if (c.version() != version + 1) {
      return false;
    }
    entries.put(c.key(), new Entry(c.value(), c.term(), c.version()));
    log.add(c);
    version = c.version();
    save();
    return true;
  }

  /** Replaces everything with a snapshot copied from the leader. */
  synchronized void load(Snapshot s) {
    entries.clear();
    entries.putAll(s.entries());
    log.clear();
    version = s.version();
    logStart = s.version() + 1;
    save();
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(version, entries);
  }

  /**
   * The changes after {@code since}, or empty if the log no longer has them all (copy a snapshot).
   */
  synchronized Optional<List<Change>> since(long since) {
    if (since > version) {
      return Optional.empty();
    }
    if (since + 1 < logStart) {
      return Optional.empty();
    }
    int from = (int) (since + 1 - logStart);
    return Optional.of(List.copyOf(log.subList(from, log.size())));
  }

  synchronized Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  synchronized long version() {
    return version;
  }

  synchronized int size() {
    return entries.size();
  }

  /** The values by key, for display. */
  synchronized Map<String, String> values() {
    Map<String, String> out = new LinkedHashMap<>();
    entries.forEach((k, e) -> out.put(k, e.value()));
    return out;
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  static <T> T parse(String json, Class<T> type) {
    return JSON.readValue(json, type);
  }

  private void save() {
    Path f = file;
    if (f == null) {
      return;
    }
    try {
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.createDirectories(f.toAbsolutePath().getParent());
      Files.writeString(tmp, json(new Snapshot(version, entries)));
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the key-value data to " + f, e);
    }
  }
}
