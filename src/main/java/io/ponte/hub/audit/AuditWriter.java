package io.ponte.hub.audit;

import io.agroal.api.AgroalDataSource;
import io.ponte.batch.GroupCommitQueue;
import io.quarkus.agroal.DataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Group commit of the audit chain: requests hand their record to one writer thread and wait; the
 * writer takes whatever has queued up (up to {@link AuditConfig#batchSize()}), chains it in arrival
 * order and writes it with one INSERT batch and one commit, then releases every request of the
 * batch at once. Appends therefore cost one commit per batch, not one lock-held transaction per
 * request.
 *
 * <p>Several hub processes share one chain: each batch runs in a short transaction that first takes
 * a transaction-level advisory lock, then reads the chain's head, so batches of different processes
 * follow each other and never fork the chain. The lock is held for one INSERT batch only.
 *
 * <p>Fail closed: if a batch cannot be written, every request in it is told so and refuses its
 * access (503 AUDIT_UNAVAILABLE). A request that gives up waiting takes its record back unless the
 * writer has already started on it, in which case it waits for that batch's result, so a record
 * never says "success" for an access that was refused.
 */
@ApplicationScoped
public class AuditWriter {

  private static final Logger LOG = Logger.getLogger(AuditWriter.class);

  /** Serialises batches of every hub process on one chain (transaction-scoped advisory lock). */
  static final long CHAIN_LOCK = 0x706f6e7465617564L;

  private static final int WAITING = 0;
  private static final int TAKEN = 1;
  private static final int ABANDONED = 2;

  /** The trail could not write a record; the access it was for is refused. */
  public static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Pending(
      AuditRecordEntity row, CompletableFuture<Long> done, AtomicInteger state) {}

  @Inject
  @DataSource("hub")
  Instance<AgroalDataSource> dataSource;

  @Inject AuditConfig config;

  private volatile javax.sql.DataSource source;
  private final GroupCommitQueue<Pending> queue =
      new GroupCommitQueue<>(
          "audit-writer", () -> config.queueCapacity(), () -> config.batchSize(), this::writeBatch);

  public AuditWriter() {}

  /** A writer outside CDI (benchmarks, a second writer standing for another hub in tests). */
  AuditWriter(javax.sql.DataSource source, AuditConfig config) {
    this.source = source;
    this.config = config;
  }

  private javax.sql.DataSource source() {
    javax.sql.DataSource s = source;
    if (s == null) {
      s = dataSource.get();
      source = s;
    }
    return s;
  }

  /**
   * Appends {@code row} (everything but seq, prev_hash, hash and recorded_at, which the writer
   * sets) and waits until it is committed.
   *
   * @return its seq
   */
  public long append(AuditRecordEntity row) throws Unavailable {
    Pending p = new Pending(row, new CompletableFuture<>(), new AtomicInteger(WAITING));
    if (!queue.offer(p)) {
      throw new Unavailable("the audit queue is full", null);
    }
    try {
      try {
        return p.done().get(config.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (p.state().compareAndSet(WAITING, ABANDONED)) {
          throw new Unavailable("the audit trail did not answer in time", e);
        }
        // The writer is writing it: its result decides (the batch is bounded by lock and statement
        // timeouts).
        return p.done().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.state().compareAndSet(WAITING, ABANDONED);
      throw new Unavailable("interrupted while waiting for the audit trail", e);
    } catch (ExecutionException e) {
      throw new Unavailable("the audit record could not be written", e.getCause());
    }
  }

  /**
   * Appends {@code rows} in their order and waits until all are committed (they usually share one
   * batch). Should it fail part-way, some may be committed and some not: callers that must not
   * append twice check first (a node's records carry their node's record id).
   */
  public void appendAll(List<AuditRecordEntity> rows) throws Unavailable {
    List<Pending> pending = new ArrayList<>(rows.size());
    for (AuditRecordEntity row : rows) {
      Pending p = new Pending(row, new CompletableFuture<>(), new AtomicInteger(WAITING));
      if (!queue.offer(p)) {
        pending.forEach(q -> q.state().compareAndSet(WAITING, ABANDONED));
        throw new Unavailable("the audit queue is full", null);
      }
      pending.add(p);
    }
    long deadline = System.nanoTime() + config.appendTimeout().toNanos();
    for (Pending p : pending) {
      try {
        try {
          p.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (p.state().compareAndSet(WAITING, ABANDONED)) {
            pending.forEach(q -> q.state().compareAndSet(WAITING, ABANDONED));
            throw new Unavailable("the audit trail did not answer in time", e);
          }
          p.done().get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pending.forEach(q -> q.state().compareAndSet(WAITING, ABANDONED));
        throw new Unavailable("interrupted while waiting for the audit trail", e);
      } catch (ExecutionException e) {
        throw new Unavailable("the audit record could not be written", e.getCause());
      }
    }
  }

  /** Appends without waiting (a note about an access already answered). */
  public void appendLater(AuditRecordEntity row) {
    Pending p = new Pending(row, new CompletableFuture<>(), new AtomicInteger(WAITING));
    if (!queue.offer(p)) {
      LOG.error("audit queue full: a follow-up audit record was dropped");
    }
  }

  private void writeBatch(List<Pending> taken) {
    List<Pending> batch = new ArrayList<>(taken);
    batch.removeIf(p -> !p.state().compareAndSet(WAITING, TAKEN));
    if (batch.isEmpty()) {
      return;
    }
    try {
      long last = write(batch);
      long seq = last - batch.size();
      for (Pending p : batch) {
        p.done().complete(++seq);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.errorf(
          "audit batch of %d records could not be written (%s); refusing their accesses",
          batch.size(), e.toString());
      for (Pending p : batch) {
        p.done().completeExceptionally(e);
      }
    }
  }

  /** One transaction: lock, read the head, chain and insert the batch, commit. Returns last seq. */
  private long write(List<Pending> batch) throws SQLException {
    try (Connection c = source().getConnection()) {
      c.setAutoCommit(false);
      try {
        long seq = 0;
        String prev = AuditChain.GENESIS;
        // One round trip: bounds (a stuck database fails the batch instead of holding every
        // request), the lock, then the head read under it; statements run in this order.
        try (Statement s = c.createStatement()) {
          s.execute(
              "set local lock_timeout = '5s'; set local statement_timeout = '10s';"
                  + " select pg_advisory_xact_lock("
                  + CHAIN_LOCK
                  + "); select seq, hash from audit_record order by seq desc limit 1");
          while (s.getMoreResults() || s.getUpdateCount() != -1) {
            ResultSet rs = s.getResultSet();
            if (rs != null) {
              try (rs) {
                if (rs.getMetaData().getColumnCount() == 2 && rs.next()) {
                  seq = rs.getLong(1);
                  prev = rs.getString(2);
                }
              }
            }
          }
        }
        if (seq == 0) {
          // No row: a new chain, or one whose every row was purged; then it goes on from the
          // anchor.
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "select through_seq, hash from audit_anchor order by through_seq desc"
                          + " limit 1")) {
            if (rs.next()) {
              seq = rs.getLong(1);
              prev = rs.getString(2);
            }
          }
        }
        Instant now = AuditChain.micros(Instant.now());
        try (PreparedStatement ps = c.prepareStatement(AuditRows.INSERT)) {
          for (Pending p : batch) {
            AuditRecordEntity row = p.row();
            row.seq = ++seq;
            row.recordedAt = now;
            row.chainVersion = AuditChain.VERSION;
            row.prevHash = prev;
            row.hash = AuditChain.hash(prev, row);
            prev = row.hash;
            AuditRows.bind(ps, row);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        return seq;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /** Lets the queue drain (requests still waiting get their answer), then stops the thread. */
  @PreDestroy
  void stop() {
    queue.stop(Duration.ofSeconds(10));
  }
}
