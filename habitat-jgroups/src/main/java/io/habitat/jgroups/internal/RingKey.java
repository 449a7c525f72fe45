package io.habitat.jgroups.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret of one keyed ring, bound to the ring's name: the HKDF-SHA256 pseudo-random key
 * extracted from the ring key (raw bytes, or a passphrase stretched with PBKDF2 first) with the
 * ring name in the salt. {@link RingEncryption} derives one AES-256 key per sender address from it.
 *
 * <p>Never printed: {@link #toString} names the ring only, and no message of this class contains
 * key material or the text it was decoded from. Immutable and thread-safe.
 */
public final class RingKey {

  /** The least number of bytes a raw ring key has: 256 bits. */
  public static final int MIN_KEY_BYTES = 32;

  /** The least number of characters a passphrase has. */
  public static final int MIN_PASSPHRASE_CHARS = 16;

  /** PBKDF2-HMAC-SHA256 iterations for a passphrase (OWASP's 2023 recommendation). */
  static final int PBKDF2_ITERATIONS = 600_000;

  private static final String KEY_SALT = "habitat ring key v1\0";
  private static final String PASSPHRASE_SALT = "habitat ring passphrase v1\0";
  private static final String SENDER_INFO = "habitat ring sender key v1\0";
  private static final String HABITAT_SYM_KEY_HEADER = "SYM-SEC-1";

  private final String ringName;
  private final SecretKeySpec prk;

  private RingKey(String ringName, byte[] prk) {
    this.ringName = ringName;
    this.prk = new SecretKeySpec(prk, "HmacSHA256");
    Arrays.fill(prk, (byte) 0);
  }

  /**
   * The key of a ring from raw key material.
   *
   * @throws IllegalArgumentException if it has fewer than {@link #MIN_KEY_BYTES} bytes
   */
  public static RingKey fromBytes(byte[] key, String ringName) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ringName, "ringName");
    requireLength(key.length, "the ring key");
    return new RingKey(ringName, hmac(salt(KEY_SALT, ringName), key));
  }

  /**
   * The key of a ring from a passphrase, stretched with PBKDF2-HMAC-SHA256 ({@value
   * #PBKDF2_ITERATIONS} iterations, the ring name in the salt).
   *
   * @throws IllegalArgumentException if it has fewer than {@link #MIN_PASSPHRASE_CHARS} characters
   */
  public static RingKey fromPassphrase(char[] passphrase, String ringName) {
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(ringName, "ringName");
    requirePassphrase(passphrase.length);
    PBEKeySpec spec =
        new PBEKeySpec(passphrase, salt(PASSPHRASE_SALT, ringName), PBKDF2_ITERATIONS, 256);
    byte[] stretched;
    try {
      stretched =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
    try {
      return new RingKey(ringName, hmac(salt(KEY_SALT, ringName), stretched));
    } finally {
      Arrays.fill(stretched, (byte) 0);
    }
  }

  /**
   * Checks the length of a passphrase.
   *
   * @throws IllegalArgumentException if it is too short
   */
  public static void requirePassphrase(int length) {
    if (length < MIN_PASSPHRASE_CHARS) {
      throw new IllegalArgumentException(
          "the ring passphrase is too short: use at least "
              + MIN_PASSPHRASE_CHARS
              + " characters, or a random key (ringKey(bytes) or ringKeyFile(path))");
    }
  }

  /**
   * Checks the length of a raw key.
   *
   * @param what what the key is, for the message (never its content)
   * @throws IllegalArgumentException if it is too short
   */
  public static void requireLength(int length, String what) {
    if (length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          what
              + " has fewer than "
              + MIN_KEY_BYTES
              + " bytes: use "
              + MIN_KEY_BYTES
              + " random bytes, e.g. from `openssl rand -base64 32`");
    }
  }

  /**
   * The raw key in the text of a key file or environment variable: base64 (whitespace ignored) of
   * at least {@link #MIN_KEY_BYTES} bytes, as {@code openssl rand -base64 32} prints, or a Habitat
   * {@code .sym.key} file ({@code SYM-SEC-1}, its name line, a blank line, then the base64 key).
   *
   * @param source where the text comes from, for messages
   * @throws IllegalArgumentException if the text holds no such key; the message names the source
   *     and never quotes the text
   */
  public static byte[] decodeText(String text, String source) {
    Objects.requireNonNull(text, "text");
    String encoded = text.strip();
    if (encoded.startsWith(HABITAT_SYM_KEY_HEADER)) {
      List<String> lines = encoded.lines().toList();
      encoded = lines.get(lines.size() - 1);
    }
    encoded = encoded.replaceAll("\\s", "");
    if (encoded.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " is empty: put a base64 key in it, e.g. the output of `openssl rand -base64 32`");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // not chained: the decoder's message quotes a character of the key
      throw new IllegalArgumentException(
          source + " does not hold a base64 ring key: generate one with `openssl rand -base64 32`");
    }
    if (key.length < MIN_KEY_BYTES) {
      Arrays.fill(key, (byte) 0);
      requireLength(key.length, "the ring key in " + source);
    }
    return key;
  }

  /** The ring this key belongs to. */
  public String ringName() {
    return ringName;
  }

  /** The AES-256 key of one sender: HKDF-Expand of the ring's key with the sender's address. */
  SecretKey senderKey(byte[] senderAddress) {
    byte[] info = SENDER_INFO.getBytes(StandardCharsets.US_ASCII);
    byte[] input = Arrays.copyOf(info, info.length + senderAddress.length + 1);
    System.arraycopy(senderAddress, 0, input, info.length, senderAddress.length);
    input[input.length - 1] = 1; // the first (and only) HKDF-Expand block: 32 bytes
    byte[] okm;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(prk);
      okm = mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks HmacSHA256", e);
    }
    SecretKeySpec key = new SecretKeySpec(okm, "AES");
    Arrays.fill(okm, (byte) 0);
    return key;
  }

  private static byte[] salt(String label, String ringName) {
    return (label + ringName).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks HmacSHA256", e);
    }
  }

  /** Names the ring, never the key. */
  @Override
  public String toString() {
    return "RingKey[ring=" + ringName + "]";
  }
}
