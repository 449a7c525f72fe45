package io.habitat.core.internal;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.Term;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.toml.TomlMapper;

/** Checks, parses and stamps group config documents. Thread-safe. */
public final class GroupConfigs {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper TOML = TomlMapper.builder().build();

  private GroupConfigs() {}

  /**
   * Checks a document and stamps it.
   *
   * @throws IllegalArgumentException if the version is below 1, the document is larger than {@link
   *     GroupConfig#MAX_BYTES} or does not parse as one object in its format
   */
  public static GroupConfig check(long version, Term term, ConfigFormat format, String document) {
    if (version < 1) {
      throw new IllegalArgumentException(
          "config version must be 1 or more, was " + version + "; nothing was applied");
    }
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > GroupConfig.MAX_BYTES) {
      throw new IllegalArgumentException(
          "config document is "
              + bytes.length
              + " bytes, at most "
              + GroupConfig.MAX_BYTES
              + " are allowed; nothing was applied. Keep large data out of group config");
    }
    parse(format, document);
    return new GroupConfig(version, term, sha256(bytes), format, document);
  }

  /**
   * Parses a document into a tree.
   *
   * @throws IllegalArgumentException saying where it does not parse
   */
  public static JsonNode parse(ConfigFormat format, String document) {
    JsonNode tree;
    try {
      tree = (format == ConfigFormat.TOML ? TOML : JSON).readTree(document);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "config document is not valid "
              + format.configName()
              + ": "
              + e.getOriginalMessage()
              + location(e)
              + "; nothing was applied",
          e);
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(
          "config document must be one "
              + (format == ConfigFormat.TOML ? "TOML table" : "JSON object")
              + " at the top; nothing was applied");
    }
    return tree;
  }

  /** The document as nested maps, lists and scalars. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(GroupConfig config) {
    JsonNode tree = parse(config.format(), config.document());
    return (Map<String, Object>) JSON.convertValue(tree, Map.class);
  }

  private static String location(JacksonException e) {
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 1
        ? ""
        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** The SHA-256 of the text's UTF-8 bytes, in lower-case hex. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The first 8 bytes of the digest as a number, as heartbeats carry it. */
  public static long digestPrefix(String digest) {
    return Long.parseUnsignedLong(digest.substring(0, 16), 16);
  }
}
