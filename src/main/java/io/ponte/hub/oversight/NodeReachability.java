package io.ponte.hub.oversight;

import io.ponte.hub.dicomweb.FederationConfig;
import io.ponte.hub.dicomweb.StudyAvailability;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Whether each site's node answers, as the authority's site table, its CSV and the metrics show it:
 * every node with an address is asked at once by a background check every {@code
 * ponte.hub.oversight.reachability-interval} (30 s; a site that goes down is logged once, then
 * reminded every 10 minutes, by the node client's {@code SiteFailureLog}), and the pages read its
 * last answer. Before, each page view, CSV download and metrics refresh asked the nodes itself, so
 * a site that was down held every one of them up to 2 s. A page shown before the first check runs
 * it at once.
 */
@ApplicationScoped
public class NodeReachability {

  @Inject StudyAvailability availability;

  @Inject FederationConfig federation;

  private volatile Map<String, Boolean> last;

  @Scheduled(
      identity = "ponte-node-reachability",
      every = "${ponte.hub.oversight.reachability-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = OversightMetrics.NotHub.class)
  public void check() {
    last = availability.reachable(federation.nodeUrl().keySet());
  }

  /** Site id to whether its node answered the last check; sites without a node are absent. */
  public Map<String, Boolean> current() {
    Map<String, Boolean> seen = last;
    if (seen == null) {
      check();
      seen = last;
    }
    return seen;
  }
}
