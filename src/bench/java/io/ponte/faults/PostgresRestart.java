package io.ponte.faults;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * (d) PostgreSQL stopped (fast shutdown: every session cut) and started again under a running hub
 * and node, neither restarted: requests during the outage fail cleanly (a 503 problem, or STOW-RS /
 * C-STORE's Out of Resources, never a 500), and every request after PostgreSQL is back succeeds.
 * Hub and node use a PostgreSQL cluster of the suite's own, not the shared one.
 */
final class PostgresRestart implements Scenario {

  private static final int ROUNDS_AFTER = 10;

  @Override
  public String name() {
    return "postgres-restart";
  }

  @Override
  public String title() {
    return "PostgreSQL restarted under a running hub and node";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    List<FaultKit.Instance> instances =
        new ArrayList<>(FaultKit.study(work.resolve("i"), 2 * ROUNDS_AFTER + 4, 16_384));
    try (PrivatePostgres pg = PrivatePostgres.create()) {
      FaultKit.execute(pg.url("postgres"), "create role ponte_app login");
      FaultKit.execute(pg.url("postgres"), "create database ponte_hub");
      FaultKit.execute(pg.url("postgres"), "create database ponte_node");
      int dimse = FreePorts.next();
      PonteProcess hub = null;
      PonteProcess node = null;
      try {
        hub =
            PonteProcess.hub(Processes.database("pg_unused_hub"))
                .env("PONTE_HUB_DB_URL", pg.url("ponte_hub"))
                .start();
        node =
            Processes.node(
                    Processes.database("pg_unused_node"),
                    work.resolve("cache"),
                    dimse,
                    Processes.container("pg"))
                .env("PONTE_NODE_DB_URL", pg.url("ponte_node"))
                .start();
        String ingest = FaultKit.clientToken("hospital-a-ingest");
        String clinician =
            FaultKit.userToken(io.ponte.testing.TestServices.REALM_URL, "bruno.hospa");
        report.check(
            round(node, hub, dimse, ingest, clinician, instances).isEmpty(),
            "before: STOW-RS, C-STORE and hub QIDO-RS succeed");

        pg.stop();
        long down = System.nanoTime();
        HttpResponse<String> stow =
            FaultKit.stow(node.baseUrl(), ingest, List.of(instances.remove(0)));
        boolean stowClean =
            (stow.statusCode() == 503
                    && stow.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .contains("problem+json"))
                || (stow.statusCode() == 409 && stow.body().contains("42752")); // A700H
        report.check(
            stowClean,
            "during: STOW-RS %d %s%s",
            stow.statusCode(),
            stow.headers().firstValue("Content-Type").orElse(""),
            stow.body().contains("42752") ? " (Failure Reason A700 Out of Resources)" : "");
        String cstore = FaultKit.cstoreOnce(dimse, instances.remove(0));
        report.check(
            cstore.matches("A7[0-9A-F]{2}|C[0-9A-F]{3}"), "during: C-STORE status %s", cstore);
        HttpResponse<byte[]> qido =
            FaultKit.get(
                hub.baseUrl() + "/dicomweb/studies?PatientID=FAULTS",
                clinician,
                "application/dicom+json");
        report.check(
            FaultKit.status(qido) == 503 && FaultKit.contentType(qido).contains("problem+json"),
            "during: hub QIDO-RS %d %s",
            FaultKit.status(qido),
            FaultKit.contentType(qido));
        HttpResponse<byte[]> fhir =
            FaultKit.get(
                hub.baseUrl() + "/fhir/ImagingStudy?patient.identifier=FAULTS",
                clinician,
                "application/fhir+json");
        report.check(
            FaultKit.status(fhir) == 503,
            "during: hub FHIR search %d %s",
            FaultKit.status(fhir),
            FaultKit.contentType(fhir));
        report.note(
            "during: readiness hub %d, node %d",
            FaultKit.status(FaultKit.get(hub.baseUrl() + "/q/health/ready", null, null)),
            FaultKit.status(FaultKit.get(node.baseUrl() + "/q/health/ready", null, null)));
        pg.start();
        report.note("PostgreSQL down for %.1f s", (System.nanoTime() - down) / 1e9);

        List<String> failures = new ArrayList<>();
        for (int r = 0; r < ROUNDS_AFTER; r++) {
          failures.addAll(round(node, hub, dimse, ingest, clinician, instances));
        }
        report.check(
            failures.isEmpty() && hub.isAlive() && node.isAlive(),
            "after: %d of %d requests failed, from the first one on (hub and node not restarted)%s",
            failures.size(),
            3 * ROUNDS_AFTER,
            failures.isEmpty()
                ? ""
                : ": " + String.join("; ", failures.subList(0, Math.min(3, failures.size()))));
      } finally {
        Processes.quietly(node);
        Processes.quietly(hub);
      }
    }
  }

  /** One STOW-RS, one C-STORE, one hub QIDO-RS: the failures, if any. */
  private static List<String> round(
      PonteProcess node,
      PonteProcess hub,
      int dimse,
      String ingest,
      String clinician,
      List<FaultKit.Instance> instances)
      throws Exception {
    List<String> failed = new ArrayList<>();
    HttpResponse<String> stow = FaultKit.stow(node.baseUrl(), ingest, List.of(instances.remove(0)));
    if (stow.statusCode() != 200) {
      failed.add("STOW-RS " + stow.statusCode());
    }
    String cstore = FaultKit.cstoreOnce(dimse, instances.remove(0));
    if (!cstore.equals("0000")) {
      failed.add("C-STORE " + cstore);
    }
    int qido =
        FaultKit.status(
            FaultKit.get(
                hub.baseUrl() + "/dicomweb/studies?PatientID=FAULTS",
                clinician,
                "application/dicom+json"));
    if (qido != 200 && qido != 204) {
      failed.add("QIDO-RS " + qido);
    }
    return failed;
  }
}
