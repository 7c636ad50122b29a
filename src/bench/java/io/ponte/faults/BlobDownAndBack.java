package io.ponte.faults;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TcpForwarder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (c) Azurite unreachable, then back: the node keeps ingesting and serving from its cache, stays
 * ready with the upload backlog in its health, and drains the backlog once Blob returns. The node
 * reaches the shared Azurite through a proxy the suite cuts (Azurite itself is shared).
 */
final class BlobDownAndBack implements Scenario {

  @Override
  public String name() {
    return "blob-down";
  }

  @Override
  public String title() {
    return "Azure Blob (Azurite) unreachable during ingest, then back";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    List<FaultKit.Instance> before = FaultKit.study(work.resolve("before"), 5, 65_536);
    List<FaultKit.Instance> during = FaultKit.study(work.resolve("during"), 20, 65_536);
    String db = Processes.database("blob");
    TcpForwarder blob = TcpForwarder.started(10000);
    String connection =
        io.ponte.node.storage.NodeStorageConfig.AZURITE.replace(":10000/", ":" + blob.port() + "/");
    PonteProcess node =
        Processes.node(db, work.resolve("cache"), FreePorts.next(), Processes.container("blob"))
            .env("PONTE_NODE_STORAGE_BLOB_CONNECTION_STRING", connection)
            .start();
    try {
      String jdbc = Processes.jdbc(db);
      String backlogSql = "select count(*) from instance where blob_state <> 'UPLOADED'";
      String ingest = FaultKit.clientToken("hospital-a-ingest");
      int first = FaultKit.stow(node.baseUrl(), ingest, before).statusCode();
      double uploaded =
          FaultKit.await(Duration.ofSeconds(30), () -> FaultKit.count(jdbc, backlogSql) == 0);
      report.check(
          first == 200 && uploaded >= 0, "before: 5 instances stored (%d) and uploaded", first);

      blob.cut();
      long down = System.nanoTime();
      int stored = 0;
      for (FaultKit.Instance i : during) {
        if (FaultKit.stow(node.baseUrl(), ingest, List.of(i)).statusCode() == 200) {
          stored++;
        }
      }
      report.check(
          stored == during.size(),
          "Blob down: %d of %d instances acknowledged by STOW-RS",
          stored,
          during.size());
      String hub = FaultKit.clientToken("ponte-hub");
      int served = 0;
      for (FaultKit.Instance i : during) {
        if (FaultKit.retrievesIdentical(node.baseUrl(), hub, i)) {
          served++;
        }
      }
      report.check(
          served == during.size(),
          "Blob down: %d of %d new instances retrieved (WADO-RS, from the cache)",
          served,
          during.size());
      Thread.sleep(3_000); // the upload worker has tried and failed by now
      var health = FaultKit.get(node.baseUrl() + "/q/health/ready", null, null);
      String body = FaultKit.body(health);
      long backlogInHealth = number(body, "uploadBacklog");
      report.check(
          FaultKit.status(health) == 200 && backlogInHealth >= during.size(),
          "Blob down: readiness %d, health says blob \"%s\", uploadBacklog %d",
          FaultKit.status(health),
          text(body, "blob"),
          backlogInHealth);
      report.note("Blob down for %.1f s", (System.nanoTime() - down) / 1e9);

      blob.start();
      double drained =
          FaultKit.await(Duration.ofSeconds(90), () -> FaultKit.count(jdbc, backlogSql) == 0);
      String after = FaultKit.body(FaultKit.get(node.baseUrl() + "/q/health/ready", null, null));
      report.check(
          drained >= 0 && number(after, "uploadBacklog") == 0,
          "Blob back: backlog drained to %d in %.1f s (health: uploadBacklog %d, blob \"%s\")",
          FaultKit.count(jdbc, backlogSql),
          drained,
          number(after, "uploadBacklog"),
          text(after, "blob"));
    } finally {
      Processes.quietly(node);
      Processes.quietly(blob);
    }
  }

  static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static String text(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "?";
  }
}
