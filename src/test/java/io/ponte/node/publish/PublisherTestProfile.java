package io.ponte.node.publish;

import io.ponte.testing.NodeStorageTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * Node hospital-a with a fast publisher (1 s quiet period, short backoff, short HTTP timeouts)
 * whose hub URL is a port nobody listens on: the hub is down for the whole test.
 */
public class PublisherTestProfile extends NodeStorageTestProfile {

  /**
   * Bound but never listening, and held for the JVM's life: connections are refused, and no server
   * the suite starts later on an ephemeral port (Quarkus' test port, a DIMSE SCP, a fake node) can
   * take it.
   */
  private static final Socket CLOSED = closedSocket();

  static final int CLOSED_PORT = CLOSED.getLocalPort();

  @Override
  protected String suffix() {
    return "-publish";
  }

  @Override
  protected Map<String, String> extra() {
    Map<String, String> config = new HashMap<>();
    config.put("ponte.node.publish.enabled", "true");
    config.put("ponte.node.publish.hub-url", "http://127.0.0.1:" + CLOSED_PORT);
    config.put("ponte.node.publish.quiet-period", "1s");
    config.put("ponte.node.publish.poll-interval", "1s");
    config.put("ponte.node.publish.retry.initial", "200ms");
    config.put("ponte.node.publish.retry.max", "1500ms");
    // The sender tries at most a batch of due rows per run; every test here leaves rows pending for
    // good
    // (the hub never answers), and with more of them than a batch a row was retried only every ~15
    // s.
    config.put("ponte.node.publish.batch-size", "1000");
    // Refusals are immediate; were anything to hang, an attempt must not outlast the tests'
    // patience.
    config.put("ponte.node.publish.timeouts.connect", "1s");
    config.put("ponte.node.publish.timeouts.request", "3s");
    // The node audit test (node.audit) sends C-STOREs here too: one app boot for both.
    config.put("ponte.node.dimse.enabled", "true");
    config.put("ponte.node.dimse.port", "0");
    return config;
  }

  private static Socket closedSocket() {
    Socket socket = new Socket();
    try {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
