package io.ponte.hub.audit;

import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.site.HubSites;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.security.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Appends a node's records to the hub's chain, with the node as their source. Only a node's own
 * service account may send them (role {@code node} and scope {@code system/ImagingStudy.cu}, as for
 * publishing), and only as its own site (the token's {@code site} claim). Idempotent: the records
 * of one site are taken in turn (an advisory lock per site until commit), those the chain already
 * holds (same site, same node record id) are skipped, the rest appended in one group commit. A
 * batch with any invalid record is refused whole (400), nothing appended.
 */
@ApplicationScoped
public class NodeRecordIntake {

  /** Most records per request. */
  public static final int MAX_RECORDS = 500;

  private static final Pattern RECORD_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:@/ -]{1,128}");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Set<String> EVENTS =
      Set.of("ingest", "retrieve", "query", "delete", "hold", "release");
  private static final Set<String> PROTOCOLS =
      Set.of("DIMSE", "STOW-RS", "WADO-RS", "QIDO-RS", "CLI");
  private static final Set<String> OUTCOMES = Set.of("success", "denied", "invalid", "error");

  /** What a node's records are done for: the user's purpose is on the hub's own record. */
  static final String NODE_PURPOSE = "operations";

  @Inject AuditTrail audit;

  @Inject AuditWriter writer;

  @Inject Caller caller;

  @Inject HubSites sites;

  @Inject HubDatabase db;

  @Transactional
  public NodeRecord.Accepted accept(NodeRecord.Batch batch) {
    return audit.around(
        audit.about(AuditAction.CREATE, "AuditEvent"), record -> accept(batch, record));
  }

  private NodeRecord.Accepted accept(NodeRecord.Batch batch, AccessAudited.Builder record) {
    if (caller.isAnonymous()) {
      throw new ProblemException(ErrorCode.UNAUTHENTICATED, "a node's token is required");
    }
    if (!caller.hasRole(Roles.NODE)) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "only a site node may send audit records");
    }
    caller.requireScope(Scopes.SYSTEM_IMAGING_STUDY_WRITE);
    HubSites.Site site =
        caller
            .site()
            .flatMap(sites::site)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ErrorCode.WRONG_SITE,
                        "the node token's site claim does not name a federated site"));
    List<NodeRecord> records = batch == null ? null : batch.records();
    if (records == null || records.isEmpty()) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "no records");
    }
    if (records.size() > MAX_RECORDS) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "at most " + MAX_RECORDS + " records per request");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      check(i, records.get(i));
      if (!ids.add(records.get(i).recordId())) {
        throw bad(i, "recordId appears twice in the batch");
      }
    }
    record.detail(records.size() + " node audit records of " + site.id());
    db.em()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "node-audit:" + site.id())
        .getSingleResult();
    Set<String> known = known(site.id(), ids);
    List<AuditRecordEntity> rows = new ArrayList<>();
    for (NodeRecord r : records) {
      if (!known.contains(r.recordId())) {
        rows.add(toRow(site, r, hubPatient(r.studyUid(), site.id())));
      }
    }
    if (!rows.isEmpty()) {
      try {
        writer.appendAll(rows);
      } catch (AuditWriter.Unavailable e) {
        throw new AuditRecorder.TrailUnavailable(e);
      }
    }
    return new NodeRecord.Accepted(rows.size(), records.size() - rows.size());
  }

  private Set<String> known(String site, Set<String> ids) {
    @SuppressWarnings("unchecked")
    List<Object> found =
        db.em()
            .createNativeQuery(
                "select source_record_id from audit_record where source_site = ?1"
                    + " and source_record_id = any(cast(?2 as varchar[]))")
            .setParameter(1, site)
            .setParameter(2, ids.toArray(String[]::new))
            .getResultList();
    Set<String> known = new HashSet<>();
    found.forEach(o -> known.add(o.toString()));
    return known;
  }

  /** The hub's Patient of a study the site published, if it did. */
  private String hubPatient(String studyUid, String site) {
    if (studyUid == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    List<Object> found =
        db.em()
            .createNativeQuery(
                "select patient_id from imaging_study where study_instance_uid = ?1"
                    + " and site_id = ?2")
            .setParameter(1, studyUid)
            .setParameter(2, site)
            .getResultList();
    return found.isEmpty() ? null : found.get(0).toString();
  }

  static AuditRecordEntity toRow(HubSites.Site site, NodeRecord r, String hubPatientId) {
    AuditRecordEntity row = new AuditRecordEntity();
    row.action = "node-" + r.event();
    row.resourceType = r.protocol();
    row.outcome = r.outcome();
    row.errorCode = r.errorCode();
    row.status = r.status() == null ? null : r.status().shortValue();
    row.subject = r.subject();
    row.clientId = r.clientId();
    row.site = r.callerSite();
    row.purpose = NODE_PURPOSE;
    row.patientIds = hubPatientId;
    row.patientIdentifiers =
        r.patientId() == null ? null : site.patientSystem() + "|" + r.patientId();
    row.studyUids = r.studyUid();
    String detail = r.detail();
    if (r.failed() != null && r.failed() > 0) {
      detail = (detail == null ? "" : detail + "; ") + r.failed() + " instances failed";
    }
    if ("query".equals(r.event())) {
      row.query = r.detail();
      detail = r.failed() != null && r.failed() > 0 ? r.failed() + " instances failed" : null;
    }
    row.detail = detail;
    row.clientAddress = r.peerAddress();
    row.requestId = r.requestId();
    row.sourceSite = site.id();
    row.sourceRecordId = r.recordId();
    row.peerAe = r.peerAe();
    row.instanceCount = r.instances();
    row.occurredAt = AuditChain.micros(r.occurredAt());
    return row;
  }

  private static void check(int i, NodeRecord r) {
    if (r == null) {
      throw bad(i, "empty record");
    }
    if (r.recordId() == null || !RECORD_ID.matcher(r.recordId()).matches()) {
      throw bad(i, "recordId must be a lower-case UUID");
    }
    if (r.occurredAt() == null) {
      throw bad(i, "occurredAt is required");
    }
    if (!EVENTS.contains(String.valueOf(r.event()))) {
      throw bad(i, "event is one of " + EVENTS.stream().sorted().toList());
    }
    if (!PROTOCOLS.contains(String.valueOf(r.protocol()))) {
      throw bad(i, "protocol is one of " + PROTOCOLS.stream().sorted().toList());
    }
    if (!OUTCOMES.contains(String.valueOf(r.outcome()))) {
      throw bad(i, "outcome is one of " + OUTCOMES.stream().sorted().toList());
    }
    if (r.status() != null && (r.status() < 100 || r.status() > 599)) {
      throw bad(i, "status is an HTTP status");
    }
    if (r.studyUid() != null && !UID.isValid(r.studyUid())) {
      throw bad(i, "studyUid is not a DICOM UID");
    }
    if (r.requestId() != null && !REQUEST_ID.matcher(r.requestId()).matches()) {
      throw bad(i, "requestId is 1 to 64 letters, digits or . _ : -");
    }
    if (r.peerAe() != null && (r.peerAe().length() > 16 || r.peerAe().isBlank())) {
      throw bad(i, "peerAe is an AE title (1 to 16 characters)");
    }
    if (r.instances() != null && r.instances() < 0 || r.failed() != null && r.failed() < 0) {
      throw bad(i, "counts are not negative");
    }
    for (Map.Entry<String, String> e :
        Map.of(
                "errorCode", nn(r.errorCode()),
                "peerAddress", nn(r.peerAddress()),
                "subject", nn(r.subject()),
                "clientId", nn(r.clientId()),
                "callerSite", nn(r.callerSite()),
                "patientId", nn(r.patientId()))
            .entrySet()) {
      if (!e.getValue().isEmpty() && !TOKEN.matcher(e.getValue()).matches()) {
        throw bad(i, e.getKey() + " is too long or has characters it cannot have");
      }
    }
    if (r.detail() != null && r.detail().length() > 1000) {
      throw bad(i, "detail is at most 1000 characters");
    }
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }

  private static ProblemException bad(int i, String why) {
    return new ProblemException(ErrorCode.BAD_REQUEST, "record " + i + ": " + why);
  }
}
