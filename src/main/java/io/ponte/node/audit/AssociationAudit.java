package io.ponte.node.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit of DIMSE ingest: one record per association and study (calling AE title, peer address,
 * instances stored and failed, how it ended), written when the association ends, never one per
 * instance; a rejected association is one denied record. The DICOM server runs each association on
 * a thread of its own from A-ASSOCIATE-RQ to its end, and calls the monitor and the store handler
 * on it, so the thread identifies the association. Associations that store nothing (C-ECHO, port
 * probes) leave no record.
 */
@ApplicationScoped
public class AssociationAudit {

  @Inject NodeAuditLog log;

  private final ThreadLocal<Tally> current = new ThreadLocal<>();

  private static final class Tally {
    final String callingAe;
    final String remote;
    final Instant started = Instant.now();
    final Map<String, int[]> byStudy = new LinkedHashMap<>();
    String lastFailure;
    boolean serious;

    Tally(String callingAe, String remote) {
      this.callingAe = callingAe;
      this.remote = remote;
    }

    int[] of(String study) {
      return byStudy.computeIfAbsent(study == null ? "" : study, s -> new int[2]);
    }
  }

  /** A-ASSOCIATE-AC sent: the association's tally starts. */
  public void accepted(String callingAe, String remoteAddress) {
    current.set(new Tally(callingAe, remoteAddress));
  }

  /** An instance of {@code studyUid} is durable. */
  public void stored(String studyUid) {
    Tally t = current.get();
    if (t != null) {
      t.of(studyUid)[0]++;
    }
  }

  /**
   * An instance was refused with DIMSE {@code status}; {@code studyUid} null when not known yet.
   */
  public void failed(String studyUid, int status, String reason) {
    Tally t = current.get();
    if (t != null) {
      t.of(studyUid)[1]++;
      t.lastFailure = String.format("%04X", status) + (reason == null ? "" : " " + reason);
      // Out of resources (A7xx) and processing failures are the node's fault, not the data's.
      t.serious |= (status & 0xFF00) == 0xA700 || status == 0x0110 || status == 0xC110;
    }
  }

  /** A-RELEASE or abort: one record per study the association sent. */
  public void ended(String abortReason) {
    Tally t = current.get();
    current.remove();
    if (t == null) {
      return;
    }
    for (Map.Entry<String, int[]> e : t.byStudy.entrySet()) {
      int stored = e.getValue()[0];
      int failed = e.getValue()[1];
      String outcome = failed == 0 ? "success" : t.serious ? "error" : "invalid";
      StringBuilder detail = new StringBuilder();
      if (failed > 0) {
        detail.append(failed).append(" of ").append(stored + failed).append(" instances refused");
        if (t.lastFailure != null) {
          detail.append(" (last: ").append(t.lastFailure).append(')');
        }
      }
      if (abortReason != null) {
        detail.append(detail.length() == 0 ? "" : "; ").append("association aborted: ");
        detail.append(abortReason);
      }
      log.record(
          new NodeAuditEvent(
              t.started,
              NodeAuditEvent.INGEST,
              "DIMSE",
              outcome,
              null,
              failed == 0 || t.lastFailure == null ? null : t.lastFailure.substring(0, 4),
              t.callingAe,
              t.remote,
              null,
              null,
              null,
              null,
              e.getKey().isEmpty() ? null : e.getKey(),
              null,
              stored,
              failed,
              detail.length() == 0 ? null : detail.toString()));
    }
  }

  /** The association was rejected (unknown calling AE, no slot, ...): one denied record. */
  public void rejected(String callingAe, String remoteAddress, String reason) {
    log.record(
        new NodeAuditEvent(
            Instant.now(),
            NodeAuditEvent.INGEST,
            "DIMSE",
            "denied",
            null,
            "association-rejected",
            callingAe,
            remoteAddress,
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            0,
            "association rejected: " + reason));
  }
}
