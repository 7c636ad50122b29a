package io.ponte.hub.web.authority;

import com.sun.net.httpserver.HttpServer;
import io.ponte.testing.HubTestProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub with hospital-a's node at a {@link TinyNode} that answers every retrieve, so a test can
 * make real cross-site retrievals through the hub (the hub's audit, consent and registry are real).
 */
public class AuthorityTestProfile extends HubTestProfile {

  static final int NODE_PORT = TinyNode.freePort();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ponte.hub.federation.node-url.hospital-a", "http://127.0.0.1:" + NODE_PORT);
    return config;
  }

  /** Answers every request with a small body: the bytes of an image do not matter here. */
  static final class TinyNode implements AutoCloseable {
    private final HttpServer server;

    TinyNode(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = "tiny".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
    }

    static int freePort() {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
