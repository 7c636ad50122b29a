package io.ponte.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP forwarder on a fixed port, for outage tests: before {@link #start()} the port is
 * closed (connection refused, like a Blob endpoint that is down); after it, connections reach the
 * real service.
 */
public final class TcpForwarder implements AutoCloseable {

  private final int port;
  private final String targetHost;
  private final int targetPort;
  private ServerSocket server;

  public TcpForwarder(int port, String targetHost, int targetPort) {
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized void start() throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // connection closed
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException e) {
                  // already closed
                }
              }
            },
            "tcp-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
