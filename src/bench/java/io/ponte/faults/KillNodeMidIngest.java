package io.ponte.faults;

import io.ponte.dicom.net.ClientAssociation;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * (a) kill -9 of a node while a modality sends by C-STORE and a client by STOW-RS (one instance per
 * request, so each acknowledgement names one instance). After a restart every acknowledged instance
 * must be listed and retrievable byte for byte, and nothing else may be listed but the instance
 * each sender had on the wire when the node died (stored and committed, its answer lost with the
 * connection: the sender will re-send it and get a duplicate).
 */
final class KillNodeMidIngest implements Scenario {

  private static final int PER_SENDER = 60;

  @Override
  public String name() {
    return "kill-node";
  }

  @Override
  public String title() {
    return "kill -9 of a node mid-ingest (C-STORE and STOW-RS at once), then restart";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    List<FaultKit.Instance> dimse = FaultKit.study(work.resolve("dimse"), PER_SENDER, 65_536);
    List<FaultKit.Instance> stow = FaultKit.study(work.resolve("stow"), PER_SENDER, 65_536);
    String db = Processes.database("kill");
    Path cache = work.resolve("cache");
    String container = Processes.container("kill");
    int dimsePort = FreePorts.next();
    String ingest = FaultKit.clientToken("hospital-a-ingest");

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    PonteProcess first = Processes.node(db, cache, dimsePort, container).start();
    Thread scu = new Thread(() -> sendDimse(dimsePort, dimse, acknowledged, inFlight), "scu");
    Thread stower =
        new Thread(() -> sendStow(first.baseUrl(), ingest, stow, acknowledged, inFlight), "stow");
    try {
      scu.start();
      stower.start();
      FaultKit.await(java.time.Duration.ofSeconds(90), () -> acknowledged.size() >= PER_SENDER / 2);
      first.kill();
    } finally {
      first.kill();
      scu.join(30_000);
      stower.join(30_000);
    }
    report.check(
        acknowledged.size() > 0 && acknowledged.size() < 2 * PER_SENDER,
        "killed mid-ingest: %d of %d instances acknowledged, %d on the wire at the kill",
        acknowledged.size(),
        2 * PER_SENDER,
        inFlight.size());

    PonteProcess second = Processes.node(db, cache, FreePorts.next(), container).start();
    try {
      String hub = FaultKit.clientToken("ponte-hub");
      Set<String> listed = new HashSet<>();
      listed.addAll(FaultKit.qidoInstances(second.baseUrl(), hub, dimse.get(0).study()));
      listed.addAll(FaultKit.qidoInstances(second.baseUrl(), hub, stow.get(0).study()));
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(listed);
      Set<String> unacknowledged = new HashSet<>(listed);
      unacknowledged.removeAll(acknowledged);
      Set<String> unexplained = new HashSet<>(unacknowledged);
      unexplained.removeAll(inFlight);
      report.check(
          lost.isEmpty(),
          "acknowledged instances lost: %d (QIDO-RS lists %d after the restart)",
          lost.size(),
          listed.size());
      report.check(
          unexplained.isEmpty(),
          "listed but never acknowledged: %d, all of them on the wire at the kill (%d unexplained)",
          unacknowledged.size(),
          unexplained.size());
      List<FaultKit.Instance> all = new ArrayList<>(dimse);
      all.addAll(stow);
      int identical = 0;
      for (FaultKit.Instance i : all) {
        if (listed.contains(i.sop()) && FaultKit.retrievesIdentical(second.baseUrl(), hub, i)) {
          identical++;
        }
      }
      report.check(
          identical == listed.size(),
          "listed instances retrieved by WADO-RS with the very data set sent: %d of %d",
          identical,
          listed.size());
      List<String[]> rows =
          FaultKit.rows(Processes.jdbc(db), "select sop_instance_uid, cache_path from instance", 2);
      long missing = rows.stream().filter(r -> !Files.exists(cache.resolve(r[1]))).count();
      report.check(
          missing == 0 && rows.size() == listed.size(),
          "index rows %d, rows without their cache file %d",
          rows.size(),
          missing);
    } finally {
      second.close();
    }
  }

  private static void sendDimse(
      int port, List<FaultKit.Instance> instances, Set<String> acked, Set<String> inFlight) {
    try (ClientAssociation a = FaultKit.associate(port)) {
      for (FaultKit.Instance i : instances) {
        inFlight.add(i.sop());
        if (FaultKit.cstore(a, i).isSuccess()) {
          acked.add(i.sop());
        }
        inFlight.remove(i.sop());
      }
      a.release();
    } catch (Exception e) {
      // the node died: what is left in inFlight was on the wire
    }
  }

  private static void sendStow(
      String url,
      String token,
      List<FaultKit.Instance> instances,
      Set<String> acked,
      Set<String> inFlight) {
    try {
      for (FaultKit.Instance i : instances) {
        inFlight.add(i.sop());
        HttpResponse<String> r = FaultKit.stow(url, token, List.of(i));
        if (r.statusCode() == 200) {
          acked.add(i.sop());
        }
        inFlight.remove(i.sop());
      }
    } catch (Exception e) {
      // the node died
    }
  }
}
