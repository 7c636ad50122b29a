package io.ponte.hub.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.dicomweb.FederationConfig;
import io.ponte.hub.dicomweb.StudyAvailability;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The site table reads the background check's last answer and never asks the nodes itself. */
class NodeReachabilityTest {

  /** Answers as the node of hospital-a is said to, and records which sites it was asked about. */
  static final class Nodes extends StudyAvailability {
    final List<List<String>> asked = new ArrayList<>();
    boolean up = true;

    @Override
    public Map<String, Boolean> reachable(Collection<String> sites) {
      asked.add(List.copyOf(sites));
      return Map.of("hospital-a", up);
    }
  }

  private static NodeReachability reachability(Nodes nodes) {
    NodeReachability r = new NodeReachability();
    r.availability = nodes;
    r.federation =
        (FederationConfig)
            Proxy.newProxyInstance(
                FederationConfig.class.getClassLoader(),
                new Class<?>[] {FederationConfig.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("nodeUrl") && args == null) {
                    return Map.of("hospital-a", URI.create("http://127.0.0.1:1"));
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return r;
  }

  @Test
  void theFirstReadChecksAndLaterReadsReuseTheLastCheckUntilTheNextOne() {
    Nodes nodes = new Nodes();
    NodeReachability reachability = reachability(nodes);
    assertThat(reachability.current()).containsEntry("hospital-a", true);
    assertThat(nodes.asked).containsExactly(List.of("hospital-a"));

    nodes.up = false;
    assertThat(reachability.current()).as("no new question").containsEntry("hospital-a", true);
    assertThat(reachability.current()).containsEntry("hospital-a", true);
    assertThat(nodes.asked).hasSize(1);

    reachability.check();
    assertThat(reachability.current()).containsEntry("hospital-a", false);
    assertThat(nodes.asked).hasSize(2);
  }
}
