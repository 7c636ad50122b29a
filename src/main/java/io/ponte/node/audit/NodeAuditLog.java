package io.ponte.node.audit;

import io.agroal.api.AgroalDataSource;
import io.ponte.batch.GroupCommitQueue;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes node audit records, each with its outbox entry, in batches: callers (a DICOM association's
 * thread, the HTTP event loop at a request's end) only queue a record and never wait; one writer
 * thread commits whatever has queued up in one transaction (one fsync per batch, never one per
 * instance or request). A record is lost only if the process dies in the moment between queueing
 * and commit, or if the queue is full (logged at ERROR); the access itself never waits on its audit
 * record here: the hub's own record, written before it answers, is the one that fails closed.
 */
@ApplicationScoped
public class NodeAuditLog {

  private static final Logger LOG = Logger.getLogger(NodeAuditLog.class);

  static final String INSERT_RECORD =
      """
      insert into node_audit_record (record_id, occurred_at, event, protocol, outcome, status,
          error_code, peer_ae, peer_address, subject, client_id, caller_site, request_id, study_uid,
          patient_id, instances, failed, detail)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
          coalesce(?, (select patient_id from study where study_instance_uid = ?)), ?, ?, ?)
      """;

  static final String INSERT_OUTBOX =
      "insert into node_audit_outbox (record_id, next_attempt_at) values (?, ?)";

  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject NodeAuditConfig config;

  /** Events and flush markers, in order. */
  private final GroupCommitQueue<Object> queue =
      new GroupCommitQueue<>(
          "node-audit-writer",
          () -> config.queueCapacity(),
          () -> config.writeBatchSize(),
          this::writeBatch);

  /** Queues {@code event}; never blocks. */
  public void record(NodeAuditEvent event) {
    if (!queue.offer(event)) {
      LOG.errorf(
          "node audit queue full: the record of a %s %s (%s) was dropped",
          event.protocol(), event.event(), event.outcome());
    }
  }

  /** Waits until everything queued before this call is committed (tests, shutdown). */
  public void flush() throws InterruptedException {
    CompletableFuture<Void> marker = new CompletableFuture<>();
    queue.put(marker);
    try {
      marker.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("node audit writer did not flush", e);
    }
  }

  private void writeBatch(List<Object> taken) {
    List<NodeAuditEvent> batch = new ArrayList<>(taken.size());
    for (Object o : taken) {
      if (o instanceof NodeAuditEvent event) {
        batch.add(event);
      }
    }
    if (!batch.isEmpty()) {
      writeWithRetries(batch);
    }
    for (Object o : taken) {
      if (o instanceof CompletableFuture<?> marker) {
        marker.complete(null);
      }
    }
  }

  private void writeWithRetries(List<NodeAuditEvent> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        write(batch);
        return;
      } catch (SQLException | RuntimeException e) {
        if (attempt >= 3) {
          LOG.errorf(
              "node audit: %d records could not be written and are lost: %s",
              batch.size(), e.toString());
          return;
        }
        LOG.warnf("node audit: batch not written (%s); retrying", e.getMessage());
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Writes {@code event} with its outbox entry on {@code c}, in the caller's transaction: for what
   * must be recorded exactly when it happens (a deletion, a legal hold), not a moment later.
   */
  public void recordIn(Connection c, NodeAuditEvent event) throws SQLException {
    try (PreparedStatement record = c.prepareStatement(INSERT_RECORD);
        PreparedStatement outbox = c.prepareStatement(INSERT_OUTBOX)) {
      add(record, outbox, List.of(event), Timestamp.from(Instant.now()));
      record.executeBatch();
      outbox.executeBatch();
    }
  }

  private void write(List<NodeAuditEvent> batch) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = dataSource.get().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement record = c.prepareStatement(INSERT_RECORD);
          PreparedStatement outbox = c.prepareStatement(INSERT_OUTBOX)) {
        add(record, outbox, batch, now);
        record.executeBatch();
        outbox.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void add(
      PreparedStatement record, PreparedStatement outbox, List<NodeAuditEvent> batch, Timestamp now)
      throws SQLException {
    for (NodeAuditEvent e : batch) {
      UUID id = UUID.randomUUID();
      record.setObject(1, id);
      record.setTimestamp(2, Timestamp.from(e.occurredAt()));
      record.setString(3, e.event());
      record.setString(4, e.protocol());
      record.setString(5, e.outcome());
      if (e.status() == null) {
        record.setNull(6, Types.INTEGER);
      } else {
        record.setInt(6, e.status());
      }
      record.setString(7, cut(e.errorCode(), 64));
      record.setString(8, cut(e.peerAe(), 16));
      record.setString(9, cut(e.peerAddress(), 64));
      record.setString(10, cut(e.subject(), 128));
      record.setString(11, cut(e.clientId(), 128));
      record.setString(12, cut(e.callerSite(), 64));
      record.setString(13, cut(e.requestId(), 64));
      record.setString(14, cut(e.studyUid(), 64));
      record.setString(15, cut(e.patientId(), 64));
      record.setString(16, cut(e.studyUid(), 64));
      record.setObject(17, e.instances(), Types.INTEGER);
      record.setObject(18, e.failed(), Types.INTEGER);
      record.setString(19, cut(e.detail(), 1000));
      record.addBatch();
      outbox.setObject(1, id);
      outbox.setTimestamp(2, now);
      outbox.addBatch();
    }
  }

  static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  /**
   * Lets the queue drain, then stops the writer: at shutdown, after the DIMSE listener has stopped
   * (a later priority) and while the datasource is still open (a bean's PreDestroy came too late:
   * the pool was already closed and the last records were lost).
   */
  void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) ShutdownEvent event) {
    queue.stop(Duration.ofSeconds(10));
  }
}
