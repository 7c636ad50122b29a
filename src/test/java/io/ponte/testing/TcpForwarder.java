package io.ponte.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder on a fixed port, for outage tests and the fault suite: before {@link
 * #start()} the port is closed (connection refused, like a Blob endpoint that is down); after it,
 * connections reach the real service. {@link #cut()} takes the service "down" again without
 * touching it (which others may share): the port stops listening and every open connection is
 * reset, as the service's crash would; {@link #start()} brings it back on the same port. {@link
 * #corruptAt} flips one byte of what a client sends, as a faulty NIC or middlebox would.
 */
public final class TcpForwarder implements AutoCloseable {

  private final int port;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;
  private final java.util.concurrent.atomic.AtomicLong corruptAt =
      new java.util.concurrent.atomic.AtomicLong(-1);

  public TcpForwarder(int port, String targetHost, int targetPort) {
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A forwarder to a loopback service, listening on a free port. */
  public static TcpForwarder started(int targetPort) throws IOException {
    TcpForwarder forwarder = new TcpForwarder(FreePorts.next(), "127.0.0.1", targetPort);
    forwarder.start();
    return forwarder;
  }

  public int port() {
    return port;
  }

  /** Listens (again); nothing when already listening. */
  public synchronized void start() throws IOException {
    if (server != null && !server.isClosed()) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true); // listen again on the same port right after a cut
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server = s;
    Thread acceptor = new Thread(() -> acceptLoop(s), "tcp-forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Each connection opened from now on has the byte at {@code offset} of its client-to-service
   * stream inverted (negative: none); the TCP checksum is no help against a corruption before it.
   */
  public void corruptAt(long offset) {
    corruptAt.set(offset);
  }

  /** Down: refuse new connections and reset the open ones. */
  public synchronized void cut() throws IOException {
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

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream;
        try {
          upstream = new Socket(targetHost, targetPort);
        } catch (IOException e) {
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream, corruptAt.get());
        pump(upstream, client, -1);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, long corrupt) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                long at = 0;
                for (int n; (n = in.read(buffer)) >= 0; at += n) {
                  if (corrupt >= at && corrupt < at + n) {
                    buffer[(int) (corrupt - at)] ^= (byte) 0xff;
                  }
                  out.write(buffer, 0, n);
                }
              } catch (IOException e) {
                // connection closed or cut
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException e) {
                  // already closed
                }
                open.remove(from);
              }
            },
            "tcp-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Stops listening and resets what is open. */
  @Override
  public void close() throws IOException {
    cut();
  }
}
