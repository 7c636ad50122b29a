package io.ponte.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a shared service (Azurite, Keycloak) that the suite can take
 * down and bring back without touching the service itself, which other users share. {@link #cut()}
 * closes the listening port (new connections are refused) and resets every open connection, as the
 * service's crash would; {@link #restore()} listens again on the same port.
 */
final class CuttableProxy implements AutoCloseable {

  private final int port;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  CuttableProxy(int port, int targetPort) {
    this.port = port;
    this.targetPort = targetPort;
  }

  static CuttableProxy start(int targetPort) throws IOException {
    CuttableProxy proxy = new CuttableProxy(FaultKit.freePort(), targetPort);
    proxy.restore();
    return proxy;
  }

  int port() {
    return port;
  }

  synchronized void restore() throws IOException {
    if (server != null && !server.isClosed()) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "fault-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Down: refuse new connections and reset the open ones. */
  synchronized void cut() throws IOException {
    if (server != null) {
      server.close();
    }
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0); // RST, not FIN: the peer sees a dead service, not a clean close
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // closed or cut
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException e) {
                  // already closed
                }
                open.remove(from);
              }
            },
            "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
