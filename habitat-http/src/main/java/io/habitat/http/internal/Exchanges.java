package io.habitat.http.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading requests and writing responses of the JDK's HTTP server. Stateless; thread-safe. */
final class Exchanges {

  static final String JSON = "application/json; charset=utf-8";

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(JsonNodeFeature.WRITE_NULL_PROPERTIES)
          .build();

  /** The largest refused body the gateway still reads to the end before it answers. */
  static final int DRAIN_LIMIT = 1024 * 1024;

  private Exchanges() {}

  /** Sends a JSON body (none for HEAD) and closes the exchange. */
  static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, JSON, MAPPER.writeValueAsBytes(body), Map.of());
  }

  /** Sends the problem as {@code {"error":...,"hint":...}} and closes the exchange. */
  static void sendProblem(HttpExchange ex, HttpProblem problem) throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", problem.error());
    body.put("hint", problem.hint());
    body.put("status", problem.status());
    send(ex, problem.status(), JSON, MAPPER.writeValueAsBytes(body), problem.headers());
  }

  /** Sends a body (none for HEAD) with the common headers and closes the exchange. */
  static void send(
      HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> extra)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    extra.forEach(h::set);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    try (ex) {
      if (head) {
        h.set("Content-Length", Integer.toString(body.length));
        ex.sendResponseHeaders(status, -1);
      } else {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  /**
   * Reads the request body as UTF-8, at most {@code limit} bytes.
   *
   * @throws HttpProblem 413 if it is larger (checked against {@code Content-Length} first, without
   *     reading), 400 if it is not UTF-8
   */
  static String readBody(HttpExchange ex, int limit) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new HttpProblem(
            400, "Content-Length '" + declared + "' is not a number", "send a valid request");
      }
      if (length > limit) {
        if (length <= DRAIN_LIMIT) {
          drain(ex);
        }
        throw tooLarge(limit, length + " bytes");
      }
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = ex.getRequestBody()) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        buffer.write(chunk, 0, n);
        if (buffer.size() > limit) {
          drain(ex);
          throw tooLarge(limit, "more than " + limit + " bytes");
        }
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buffer.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new HttpProblem(
          400, "the request body is not valid UTF-8", "send the document encoded as UTF-8");
    }
  }

  /**
   * Reads and drops the rest of a body of at most {@link #DRAIN_LIMIT} bytes, so that the client
   * can read the refusal: a connection closed with unread data is reset, and the reset may destroy
   * the response on its way. A larger body is left unread and its connection closed.
   */
  private static void drain(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    byte[] chunk = new byte[8192];
    long total = 0;
    int n;
    while (total <= DRAIN_LIMIT && (n = in.read(chunk)) >= 0) {
      total += n;
    }
  }

  private static HttpProblem tooLarge(int limit, String size) {
    return new HttpProblem(
        413,
        "the request body has " + size + "; the gateway takes at most " + limit + " bytes",
        "a group config document may have at most 64 KiB of UTF-8; send a smaller one");
  }
}
