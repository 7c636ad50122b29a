package io.ponte.hub.dicomweb;

import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hub QIDO-RS throughput with the audit trail on and off (prints figures; never fails a build).
 * Starts a real hub from target/quarkus-app ({@code -Xmx256m}) on {@code ponte_hub_qidobench} with
 * 20,000 registered studies (SQL), then {@code -Dbench.clients} (default 8) clients search by
 * PatientID for {@code -Dbench.seconds} (default 20) each round; rounds alternate audit on, off
 * ({@code ponte.hub.audit.disabled-for-benchmark}, a benchmark-only switch), {@code -Dbench.rounds}
 * (default 2) times; best of each reported. Run: docs/performance.md.
 */
public final class QidoAuditBench {

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public static void main(String[] args) throws Exception {
    int clients = Integer.getInteger("bench.clients", 8);
    int seconds = Integer.getInteger("bench.seconds", 20);
    int rounds = Integer.getInteger("bench.rounds", 2);
    double bestOn = 0;
    double bestOff = 0;
    for (int round = 0; round < rounds; round++) {
      for (boolean audit : new boolean[] {true, false}) {
        try (BenchProcess hub =
            BenchProcess.start(
                "hub",
                null,
                "ponte_hub_qidobench",
                "256m",
                Map.of("ponte.hub.audit.disabled-for-benchmark", Boolean.toString(!audit)))) {
          setup();
          double rate = run(hub, clients, seconds);
          System.out.printf(
              "round %d audit %-3s: %.0f QIDO-RS req/s with %d clients%n",
              round + 1, audit ? "on" : "off", rate, clients);
          if (audit) {
            bestOn = Math.max(bestOn, rate);
          } else {
            bestOff = Math.max(bestOff, rate);
          }
        }
      }
    }
    System.out.printf(
        "best: audit on %.0f req/s, off %.0f req/s: on = %.0f %% of off%n",
        bestOn, bestOff, 100 * bestOn / bestOff);
  }

  static void setup() throws Exception {
    try (Connection c =
            DriverManager.getConnection(TestDatabases.url("ponte_hub_qidobench"), "postgres", "");
        Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("select count(*) from imaging_study where id like 'bench-%'");
      rs.next();
      if (rs.getLong(1) >= 20_000) {
        return;
      }
      st.execute(
          "insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
              + " given_names, birth_date, gender, version_id, last_updated, name_search)"
              + " select 'bench-p' || g, 'hospital-a', 'urn:ponte:site:hospital-a:mrn', 'BENCH-' || g,"
              + " 'Family' || (g % 5000), 'Given' || (g % 300), date '1940-01-01' + (g % 25000),"
              + " case when g % 2 = 0 then 'female' else 'male' end, 1, now(),"
              + " 'family' || (g % 5000) || '^given' || (g % 300)"
              + " from generate_series(1, 5000) g on conflict do nothing");
      st.execute(
          "insert into imaging_study (id, study_instance_uid, site_id, patient_id, started,"
              + " version_id, last_updated, content_sha256, resource_json)"
              + " select 'bench-s' || g, '2.25.9' || g, 'hospital-a', 'bench-p' || (1 + g % 5000),"
              + " timestamptz '2016-01-01 00:00:00+00' + (g * interval '47 minutes'), 1, now(),"
              + " repeat('0', 64), '{\"resourceType\":\"ImagingStudy\",\"id\":\"bench-s' || g"
              + " || '\",\"status\":\"available\"}' from generate_series(1, 20000) g"
              + " on conflict do nothing");
      st.execute(
          "insert into imaging_study_modality (study_id, code) select 'bench-s' || g,"
              + " (array['CT','MR','US','CR','DX'])[1 + g % 5] from generate_series(1, 20000) g"
              + " on conflict do nothing");
      st.execute("analyze patient; analyze imaging_study; analyze imaging_study_modality");
    }
  }

  static double run(BenchProcess hub, int clients, int seconds) throws Exception {
    String token = Tokens.user("ana.clinic");
    for (int i = 0; i < 200; i++) {
      query(hub, token); // warm-up
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    if (query(hub, token)) {
                      done.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    if (failed.get() > 0) {
      System.out.println("  failed requests: " + failed.get());
    }
    return done.get() / s;
  }

  static boolean query(BenchProcess hub, String token) throws Exception {
    String path =
        "/dicomweb/studies?PatientID=BENCH-"
            + (1 + ThreadLocalRandom.current().nextInt(5000))
            + "&limit=101";
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(hub.url() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() == 200;
  }
}
