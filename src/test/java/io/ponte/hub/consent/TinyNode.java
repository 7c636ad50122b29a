package io.ponte.hub.consent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A node that answers every WADO-RS request with a small fixed body: enough to tell a retrieve the
 * hub let through from one consent refused (real node behaviour is tested against real nodes).
 */
public final class TinyNode implements AutoCloseable {

  public static final String BODY = "tiny-node-body";

  private final HttpServer server;

  public TinyNode(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/",
        exchange -> {
          boolean metadata = exchange.getRequestURI().getPath().endsWith("/metadata");
          byte[] body = (metadata ? "[]" : BODY).getBytes(StandardCharsets.US_ASCII);
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type", metadata ? "application/dicom+json" : "application/octet-stream");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
