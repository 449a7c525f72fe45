package io.habitat.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bearer tokens: the rules a configured token must meet, and a digest of it that compares presented
 * tokens in constant time. Thread-safe; stateless.
 */
public final class Tokens {

  /** The shortest token accepted. */
  public static final int MIN_LENGTH = 16;

  /** The longest token accepted. */
  public static final int MAX_LENGTH = 512;

  private Tokens() {}

  /**
   * Checks a configured token; the message names {@code what} and never repeats the token.
   *
   * @throws IllegalArgumentException if it breaks a rule
   */
  public static void check(String token, String what) {
    if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " has "
              + token.length()
              + " characters; it needs "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH
              + " (make one with: openssl rand -base64 32)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            what
                + " has a character that is not visible ASCII at position "
                + (i + 1)
                + " (spaces and control characters are not allowed; make one with: openssl rand"
                + " -base64 32)");
      }
    }
  }

  /** The digest of a checked token. */
  public static Digest digest(String token) {
    return new Digest(sha256(token));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The SHA-256 of the configured token; the token itself is not kept. Immutable. */
  public static final class Digest {
    private final byte[] sha256;

    private Digest(byte[] sha256) {
      this.sha256 = sha256;
    }

    /**
     * Whether the presented token is the configured one. Both are hashed first, so the comparison
     * ({@link MessageDigest#isEqual}) takes the same time whatever the presented token's length or
     * content.
     */
    public boolean matches(String presented) {
      return MessageDigest.isEqual(sha256, sha256(presented));
    }
  }
}
