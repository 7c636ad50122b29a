package io.ponte.hub.dicomweb;

import java.io.InputStream;
import java.util.Map;

/**
 * A node's answer as the hub may pass it on: status, the few headers worth forwarding, and the body
 * as a bounded, backpressured stream (close it to release the connection).
 */
public record NodeResponse(String site, int status, Map<String, String> headers, InputStream body) {

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }
}
