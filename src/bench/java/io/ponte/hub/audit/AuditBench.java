package io.ponte.hub.audit;

import io.ponte.testing.TestDatabases;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Audit trail benchmark (prints figures; never fails a build), on a database of its own ({@code
 * ponte_audit_bench} + $PONTE_TEST_DB_SUFFIX) with the hub's audit_record schema:
 *
 * <ol>
 *   <li>sustained append rate: N threads ({@code -Dbench.appenders}, default 64) each append and
 *       wait for durability in a loop for {@code -Dbench.seconds} (default 20) through the group-
 *       commit {@link AuditWriter}; records/s and the chain is verified afterwards;
 *   <li>{@code audit verify} over {@code -Dbench.rows} (default 10,000,000) chained rows, written
 *       by COPY (the chain is computed here, in order, as the writer would); rows/s and seconds.
 * </ol>
 *
 * Run: see docs/performance.md ("Audit trail").
 */
public final class AuditBench {

  public static void main(String[] args) throws Exception {
    String url = TestDatabases.url("ponte_audit_bench");
    int appenders = Integer.getInteger("bench.appenders", 64);
    int seconds = Integer.getInteger("bench.seconds", 20);
    long rows = Long.getLong("bench.rows", 10_000_000L);
    System.out.printf(
        "audit bench on %s, %d cores%n", url, Runtime.getRuntime().availableProcessors());

    if (!Boolean.getBoolean("bench.skipAppend")) {
      freshSchema(url);
      appendRate(url, appenders, seconds);
    }
    if (!Boolean.getBoolean("bench.skipVerify")) {
      freshSchema(url);
      generate(url, rows);
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        long t0 = System.nanoTime();
        ChainVerifier.Verification v = new ChainVerifier(c).verify(null, null);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "verify: %d rows in %.1f s (%.0f rows/s), intact=%s%n",
            v.rowsChecked(), s, v.rowsChecked() / s, v.intact());
      }
    }
  }

  static void freshSchema(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop table if exists audit_record cascade");
      s.execute("drop function if exists audit_record_append_only() cascade");
      for (String file : List.of("db/hub/V2__audit.sql", "db/hub/V30__audit_balp.sql")) {
        try (InputStream in = AuditBench.class.getClassLoader().getResourceAsStream(file)) {
          s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
  }

  static void appendRate(String url, int appenders, int seconds) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser("postgres");
    AuditWriter writer = new AuditWriter(ds, config());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    // Warm-up: the JIT and the connection.
    for (int i = 0; i < 200; i++) {
      writer.append(row(i));
    }
    long t0 = System.nanoTime();
    for (int t = 0; t < appenders; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                int n = 0;
                while (!stop.get()) {
                  try {
                    writer.append(row(id * 1_000_000 + n++));
                    done.incrementAndGet();
                  } catch (AuditWriter.Unavailable e) {
                    failed.incrementAndGet();
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread th : threads) {
      th.join();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    writer.stop();
    System.out.printf(
        "append: %d appenders, %d records in %.1f s = %.0f records/s durable (%d refused)%n",
        appenders, done.get(), s, done.get() / s, failed.get());
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      System.out.println(
          "append: chain intact = " + new ChainVerifier(c).verify(null, null).intact());
    }
  }

  static AuditRecordEntity row(long i) {
    AuditRecordEntity r = new AuditRecordEntity();
    r.action = i % 3 == 0 ? "search" : "read";
    r.resourceType = "DICOMweb WADO-RS instances";
    r.outcome = "success";
    r.subject = "5f0c6a1e-0000-4000-8000-" + String.format("%012d", i % 100);
    r.username = "clinician" + (i % 100);
    r.clientId = "ponte-web";
    r.organization = "hospital-a";
    r.roles = "clinician";
    r.purpose = "treatment";
    r.patientIds = "p-" + (i % 50_000);
    r.studyUids = "1.2.826.0.1.3680043.10.1." + i;
    r.query = "/studies/1.2.826.0.1.3680043.10.1." + i;
    r.clientAddress = "10.0.0." + (i % 250);
    r.status = 200;
    r.requestId = "bench-" + i;
    r.tokenId = "jti-" + i;
    r.tokenIssuer = "http://127.0.0.1:8180/realms/ponte";
    return r;
  }

  /** {@code rows} chained rows by COPY, in batches; the chain is computed in order. */
  static void generate(String url, long rows) throws Exception {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      try (Statement s = c.createStatement()) {
        // Indexes after the load: faster, and the verify reads by the primary key as in production.
        s.execute("alter table audit_record drop constraint audit_record_pkey");
        s.execute("alter table audit_record drop constraint audit_record_hash_uq");
        s.execute(
            "drop index audit_record_time_idx, audit_record_username_idx, audit_record_request_idx");
      }
      String prev = AuditChain.GENESIS;
      Instant start = Instant.parse("2026-01-01T00:00:00Z");
      StringBuilder batch = new StringBuilder(4 << 20);
      CopyIn copy = null;
      for (long i = 1; i <= rows; i++) {
        AuditRecordEntity r = row(i);
        r.seq = i;
        r.recordedAt = start.plusMillis(i);
        r.chainVersion = AuditChain.VERSION;
        r.prevHash = prev;
        r.hash = AuditChain.hash(prev, r);
        prev = r.hash;
        line(batch, r);
        if (batch.length() > (3 << 20) || i == rows) {
          if (copy == null) {
            copy =
                c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("copy audit_record (" + AuditRows.COLUMNS + ") from stdin");
          }
          byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          batch.setLength(0);
        }
      }
      copy.endCopy();
      double load = (System.nanoTime() - t0) / 1e9;
      try (Statement s = c.createStatement()) {
        s.execute("alter table audit_record add primary key (seq)");
        s.execute("analyze audit_record");
      }
      System.out.printf(
          "generate: %d chained rows by COPY in %.1f s, primary key in %.1f s more%n",
          rows, load, (System.nanoTime() - t0) / 1e9 - load);
    }
  }

  private static void line(StringBuilder b, AuditRecordEntity r) {
    Object[] values = {
      r.seq,
      r.recordedAt,
      r.action,
      r.resourceType,
      r.outcome,
      r.errorCode,
      r.subject,
      r.username,
      r.clientId,
      r.organization,
      r.roles,
      r.site,
      r.purpose,
      r.patientIds,
      r.patientIdentifiers,
      r.regionalIds,
      r.studyUids,
      r.query,
      r.detail,
      r.clientAddress,
      r.chainVersion,
      r.status,
      r.requestId,
      r.tokenId,
      r.tokenIssuer,
      r.prevHash,
      r.hash
    };
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append('\t');
      }
      b.append(values[i] == null ? "\\N" : values[i].toString());
    }
    b.append('\n');
  }

  static AuditConfig config() {
    return new AuditConfig() {
      @Override
      public int batchSize() {
        return Integer.getInteger("bench.batch", 500);
      }

      @Override
      public int queueCapacity() {
        return 20_000;
      }

      @Override
      public Duration appendTimeout() {
        return Duration.ofSeconds(30);
      }

      @Override
      public Period retention() {
        return Period.ofYears(10);
      }

      @Override
      public int maxCount() {
        return 1000;
      }

      @Override
      public int defaultCount() {
        return 100;
      }

      @Override
      public boolean disabledForBenchmark() {
        return false;
      }
    };
  }
}
