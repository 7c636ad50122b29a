package io.ponte.faults;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * (b) The hub stopped while a node ingests studies and publishes them, then started again: the
 * node's outbox catches up and every study is in the hub's registry exactly once, with all its
 * instances.
 */
final class HubDownWhilePublishing implements Scenario {

  private static final int STUDIES = 12;
  private static final int PER_STUDY = 2;

  @Override
  public String name() {
    return "hub-down";
  }

  @Override
  public String title() {
    return "hub stopped while a node ingests and publishes, then started again";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    List<List<FaultKit.Instance>> studies = new ArrayList<>();
    for (int s = 0; s < STUDIES; s++) {
      studies.add(FaultKit.study(work.resolve("s" + s), PER_STUDY, 16_384));
    }
    String hubDb = Processes.database("hubdown_hub");
    String nodeDb = Processes.database("hubdown_node");
    int hubPort = FreePorts.next();
    PonteProcess hub = PonteProcess.hub(hubDb).port(hubPort).start();
    PonteProcess node =
        Processes.node(
                nodeDb, work.resolve("cache"), FreePorts.next(), Processes.container("hubdown"))
            .property("ponte.node.publish.enabled", "true")
            .env("PONTE_HUB_URL", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .property("ponte.node.publish.retry.initial", "500ms")
            .property("ponte.node.publish.retry.max", "2s")
            .start();
    try {
      String ingest = FaultKit.clientToken("hospital-a-ingest");
      AtomicInteger acknowledged = new AtomicInteger();
      String registry = Processes.jdbc(hubDb);
      String uids = FaultKit.sqlList(studies.stream().map(s -> s.get(0).study()).toList());
      String registered =
          "select count(*) from imaging_study where study_instance_uid in (" + uids + ")";
      // A third of the studies before the outage; the hub stops once the first is published, and
      // the rest arrive while it is down.
      int beforeStop = STUDIES / 3;
      send(node.baseUrl(), ingest, studies.subList(0, beforeStop), acknowledged);
      FaultKit.await(Duration.ofSeconds(60), () -> FaultKit.count(registry, registered) >= 1);
      long publishedBefore = FaultKit.count(registry, registered);
      int acknowledgedBefore = acknowledged.get();
      hub.close();
      long down = System.nanoTime();
      send(node.baseUrl(), ingest, studies.subList(beforeStop, STUDIES), acknowledged);
      String outbox = Processes.jdbc(nodeDb);
      FaultKit.await(
          Duration.ofSeconds(20),
          () ->
              FaultKit.count(
                      outbox,
                      "select coalesce(sum(attempts), 0) from publication_outbox"
                          + " where sent_at is null")
                  >= 3);
      long backlog =
          FaultKit.count(outbox, "select count(*) from publication_outbox where sent_at is null");
      int ready = FaultKit.status(FaultKit.get(node.baseUrl() + "/q/health/ready", null, null));
      report.check(
          acknowledged.get() == STUDIES && ready == 200,
          "hub stopped after %d studies were published and %d acknowledged; acknowledged by the"
              + " node in all: %d of %d, while the hub was down: node readiness %d, %d studies"
              + " waiting in the outbox",
          publishedBefore,
          acknowledgedBefore,
          acknowledged.get(),
          STUDIES,
          ready,
          backlog);
      hub = PonteProcess.hub(hubDb).port(hubPort).start();
      report.note("hub down for %.1f s (stopped to ready again)", (System.nanoTime() - down) / 1e9);
      double caughtUp =
          FaultKit.await(
              Duration.ofSeconds(90),
              () ->
                  FaultKit.count(
                              outbox,
                              "select count(*) from publication_outbox where sent_at is null")
                          == 0
                      && FaultKit.count(registry, registered) == STUDIES);
      report.check(
          caughtUp >= 0,
          "outbox drained after the hub's return in %.1f s (hub start-up excluded)",
          caughtUp);
      Thread.sleep(3_000); // a few more sender runs: nothing may be sent twice
      List<String[]> rows =
          FaultKit.rows(
              registry,
              "select study_instance_uid, resource_json, version_id from imaging_study"
                  + " where study_instance_uid in ("
                  + uids
                  + ")",
              3);
      Map<String, Long> perUid =
          rows.stream().collect(Collectors.groupingBy(r -> r[0], Collectors.counting()));
      long duplicated = perUid.values().stream().filter(n -> n > 1).count();
      Pattern instances = Pattern.compile("\"numberOfInstances\"\\s*:\\s*(\\d+)");
      long complete =
          rows.stream()
              .filter(
                  r -> {
                    Matcher m = instances.matcher(r[1]);
                    return m.find() && Integer.parseInt(m.group(1)) == PER_STUDY;
                  })
              .count();
      report.check(
          perUid.size() == STUDIES && duplicated == 0 && complete == STUDIES,
          "registered at the hub: %d of %d studies (lost %d, duplicated %d, with all %d"
              + " instances %d)",
          perUid.size(),
          STUDIES,
          STUDIES - perUid.size(),
          duplicated,
          PER_STUDY,
          complete);
      report.note(
          "hub registry versions: %s",
          rows.stream().map(r -> r[2]).sorted().collect(Collectors.joining(",")));
    } finally {
      Processes.quietly(node);
      Processes.quietly(hub);
    }
  }

  private static void send(
      String nodeUrl, String token, List<List<FaultKit.Instance>> studies, AtomicInteger acked)
      throws Exception {
    for (List<FaultKit.Instance> study : studies) {
      if (FaultKit.stow(nodeUrl, token, study).statusCode() == 200) {
        acked.incrementAndGet();
      }
      Thread.sleep(500);
    }
  }
}
