package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one observer of {@link AccessAudited}: turns the event into a row and hands it to {@link
 * AuditWriter}, waiting until its batch is committed. If the row cannot be written the access fails
 * with 503 AUDIT_UNAVAILABLE ({@link TrailUnavailable}: fail closed).
 */
@ApplicationScoped
public class AuditRecorder {

  private static final Logger LOG = Logger.getLogger(AuditRecorder.class);

  @Inject AuditWriter writer;

  @Inject AuditConfig config;

  /** The trail itself failed: the access is refused, and there is nowhere to record that. */
  static final class TrailUnavailable extends ProblemException {
    TrailUnavailable(Throwable cause) {
      super(
          ErrorCode.AUDIT_UNAVAILABLE,
          "the access could not be recorded in the audit trail, so it was refused",
          Map.of(),
          cause);
    }
  }

  void record(@Observes AccessAudited event) {
    if (config.disabledForBenchmark()) {
      LOG.error("AUDIT DISABLED (ponte.hub.audit.disabled-for-benchmark): nothing is recorded");
      return;
    }
    try {
      writer.append(toRow(event));
    } catch (AuditWriter.Unavailable e) {
      LOG.errorf("audit record could not be written (%s); refusing the access", e.getMessage());
      throw new TrailUnavailable(e);
    }
  }

  /** Records without waiting, for what happens after the caller was answered. */
  void recordLater(AccessAudited event) {
    writer.appendLater(toRow(event));
  }

  static AuditRecordEntity toRow(AccessAudited e) {
    Actor a = e.actor();
    AuditRecordEntity row = new AuditRecordEntity();
    row.action = e.action().code();
    row.resourceType = e.resourceType();
    row.outcome = e.outcome().code();
    row.errorCode = e.errorCode();
    row.subject = a.subject();
    row.username = a.username();
    row.actorName = truncate(a.name(), 255);
    row.clientId = a.clientId();
    row.organization = a.organization();
    row.roles = join(a.roles());
    row.site = a.site();
    row.purpose = a.purpose();
    row.patientIds = join(e.patientIds());
    row.patientIdentifiers = join(e.patientIdentifiers());
    List<String> regional = new java.util.ArrayList<>(e.regionalIds());
    if (a.patientRegionalId() != null && !regional.contains(a.patientRegionalId())) {
      regional.add(0, a.patientRegionalId());
    }
    row.regionalIds = join(regional);
    row.studyUids = join(e.studyUids());
    row.query = truncate(e.query(), 2000);
    row.detail = truncate(e.detail(), 2000);
    row.clientAddress = truncate(a.clientAddress(), 64);
    row.status = (short) e.status();
    row.requestId = a.requestId();
    row.tokenId = truncate(a.tokenId(), 128);
    row.tokenIssuer = truncate(a.issuer(), 255);
    return row;
  }

  private static String join(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
