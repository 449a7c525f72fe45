package io.habitat.core;

import java.util.Objects;

/**
 * A versioned configuration document applied to a whole service group (Habitat's {@code hab config
 * apply}). Immutable.
 *
 * <p><b>Order.</b> Documents are ordered by {@link #version()}, then by the {@link #term()} of the
 * member that applied it, then by {@link #digest()}: two sides of a partition that applied the same
 * version with different content converge on the same document once they meet. Every member keeps
 * the newest document it has seen in its data directory.
 *
 * @param version the version the applier gave it, 1 or more
 * @param term the term the applying member held when it applied it (the tie-break)
 * @param digest the SHA-256 of the document's UTF-8 bytes, in lower-case hex (the last tie-break)
 * @param format the document's format
 * @param document the document as applied
 */
public record GroupConfig(
    long version, Term term, String digest, ConfigFormat format, String document)
    implements Comparable<GroupConfig> {

  /** The largest document accepted, in UTF-8 bytes: 64 KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Checks the values. */
  public GroupConfig {
    if (version < 1) {
      throw new IllegalArgumentException("config version must be 1 or more, was " + version);
    }
    Objects.requireNonNull(term, "term");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(document, "document");
  }

  @Override
  public int compareTo(GroupConfig o) {
    int c = Long.compare(version, o.version);
    if (c == 0) {
      c = term.compareTo(o.term);
    }
    return c != 0 ? c : digest.compareTo(o.digest);
  }

  /** Whether this document supersedes the other. */
  public boolean isAfter(GroupConfig other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return "GroupConfig[version="
        + version
        + ", term="
        + term
        + ", "
        + format.configName()
        + ", sha256="
        + digest.substring(0, Math.min(12, digest.length()))
        + "]";
  }
}
