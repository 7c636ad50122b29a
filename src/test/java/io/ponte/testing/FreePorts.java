package io.ponte.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers a test starts later (a profile's port, a child process's listener).
 *
 * <p>A port from {@code new ServerSocket(0)} is one of the kernel's ephemeral ports, which it also
 * hands to outgoing connections (to PostgreSQL, Keycloak, Azurite…): between the pick and the
 * server's bind, a connection could take it, and the server failed with "Address already in use".
 * These ports come from below the ephemeral range (Linux's default starts at 32768), where no
 * outgoing connection lands; each JVM starts at its own offset and never hands a port out twice,
 * and each port is checked free before it is handed out.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int COUNT = 12_000;
  private static final AtomicInteger NEXT =
      new AtomicInteger((int) ((ProcessHandle.current().pid() * 1_009) % COUNT));

  private FreePorts() {}

  /** A port nothing listens on now, not handed out before by this JVM. */
  public static int next() {
    for (int tried = 0; tried < COUNT; tried++) {
      int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
      if (free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "–" + (FIRST + COUNT - 1));
  }

  private static boolean free(int port) {
    return bindable(new InetSocketAddress(port))
        && bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
