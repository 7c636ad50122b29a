package io.ponte.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A test endpoint's whole answer on the JDK's HttpServer: status, JSON type and body (or none). */
public final class JsonAnswer {

  private JsonAnswer() {}

  public static void send(HttpExchange exchange, int status, String contentType, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
