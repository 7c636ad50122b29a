package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.error.ErrorCode;
import io.ponte.error.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Turns a node's answer into the hub's: success bodies are streamed through untouched (or through a
 * transformation such as {@link MetadataUrlRewriter}), errors keep the node's status and become the
 * hub's own problem+json naming the site, so the node's internals (addresses, headers) never leak.
 */
final class NodeResponses {

  /** A node's error body is small; anything past this is not read. */
  private static final int MAX_ERROR_BODY = 16 * 1024;

  private static final int COPY_BUFFER = 256 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  interface BodyCopier {
    void copy(InputStream in, OutputStream out) throws IOException;
  }

  private NodeResponses() {}

  /**
   * A 2xx with a body to pass on; a node's 202 (e.g. {@code ponte:being-restored}) carries only a
   * problem document and is handled like a refusal.
   */
  static boolean isSuccess(NodeResponse r) {
    return r.status() >= 200 && r.status() < 300 && r.status() != 202;
  }

  /** Streams a successful answer byte for byte ({@link NodeBodyWriter}). */
  static Response passThrough(NodeResponse r) {
    Response.ResponseBuilder b = Response.status(r.status()).entity(new NodeBody(r));
    r.headers().forEach(b::header);
    return b.build();
  }

  /** Streams a successful answer through {@code copier}; the length may change, so none is sent. */
  static Response transformed(NodeResponse r, BodyCopier copier) {
    StreamingOutput body =
        out -> {
          try (InputStream in = r.body()) {
            copier.copy(in, out);
          }
        };
    Response.ResponseBuilder b = Response.status(r.status()).entity(body);
    r.headers()
        .forEach(
            (name, value) -> {
              if (!name.equals("content-length")) {
                b.header(name, value);
              }
            });
    return b.build();
  }

  static void copy(InputStream in, OutputStream out) throws IOException {
    // Writes whole buffers: each write is a hop to the event loop, so fewer and larger is faster.
    byte[] buffer = new byte[COPY_BUFFER];
    int n;
    while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
      out.write(buffer, 0, n);
    }
  }

  /** The node's refusal, with its status, as a hub problem document naming the site. */
  static Response error(NodeResponse r) {
    String detail = null;
    Map<String, Object> extensions = new java.util.LinkedHashMap<>();
    extensions.put("site", r.site());
    ErrorCode code = ErrorCode.forSiteStatus(r.status());
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
      String type = r.header("content-type");
      if (type != null && type.contains("json") && bytes.length > 0) {
        JsonNode node = MAPPER.readTree(bytes);
        detail = node.path("detail").isTextual() ? node.path("detail").asText() : null;
        ErrorCode nodeCode = ErrorCode.ofCode(node.path("code").asText(null));
        if (nodeCode != null && nodeCode.status() == r.status()) {
          code = nodeCode;
        }
        // When to come back, for a refusal that is "not yet" rather than "no".
        for (String member : new String[] {Problem.RETRY_AFTER, "availableAt"}) {
          JsonNode value = node.path(member);
          if (value.isNumber()) {
            extensions.put(member, value.asLong());
          } else if (value.isTextual()) {
            extensions.put(member, value.asText());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable error body still yields the node's status
    }
    // A node refusing the hub's own token is a federation fault (503), not the caller's 401/403.
    boolean hubRefused = r.status() == 401 || r.status() == 403;
    int status = hubRefused ? ErrorCode.SITE_UNAVAILABLE.status() : r.status();
    String message =
        hubRefused
            ? "site " + r.site() + " refused the hub's credentials"
            : "site "
                + r.site()
                + " answered "
                + r.status()
                + (detail == null ? "" : ": " + detail);
    Problem p = Problem.of(code, message, extensions);
    Response answer =
        new Problem(p.type(), p.title(), status, p.detail(), p.code(), p.extensions()).toResponse();
    String retryAfter = r.header("retry-after");
    return retryAfter == null || hubRefused
        ? answer
        : Response.fromResponse(answer).header("Retry-After", retryAfter).build();
  }
}
