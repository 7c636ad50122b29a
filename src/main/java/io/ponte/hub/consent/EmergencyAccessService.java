package io.ponte.hub.consent;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.EmergencyRequestRefused.Rule;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.security.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Emergency (break-glass) access: a clinician states a reason and gets, for a bounded time, access
 * to one person's studies despite a refusal (see {@link ConsentLogic}). Grants, their listing,
 * their early end and every access under them are audited with purpose emergency.
 */
@ApplicationScoped
public class EmergencyAccessService {

  /** The longest reason, in characters (the page's text area says so too). */
  public static final int MAX_REASON = 2000;

  @Inject Caller caller;

  @Inject ConsentConfig config;

  @Inject PatientResolver resolver;

  @Inject EmergencyAudit emergency;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  @Transactional
  public EmergencyGrant grant(EmergencyAccessRequest request) {
    return audit.around(
        emergency.about(AuditAction.CREATE, EmergencyAudit.GRANT),
        record -> grant(request, record));
  }

  private EmergencyGrant grant(EmergencyAccessRequest request, AccessAudited.Builder record) {
    String organization = requireClinician();
    if (request == null) {
      throw bad(
          Rule.NO_REQUEST,
          "the body must be JSON: {\"patient\": \"system|value\", \"reason\": \"…\"}");
    }
    record.query("patient=" + request.patient());
    if (request.reason() == null || request.reason().isBlank()) {
      throw bad(Rule.NO_REASON, "an emergency access needs a reason, in words");
    }
    // A form sends each line break as CRLF while the browser's maxlength counted it as one
    // character: counted and kept as one, a reason the form accepted is not refused here.
    String reason = request.reason().strip().replace("\r\n", "\n");
    if (reason.length() > MAX_REASON) {
      throw new EmergencyRequestRefused(
          Rule.REASON_TOO_LONG, MAX_REASON, "the reason is at most " + MAX_REASON + " characters");
    }
    Duration duration = duration(request.duration());
    PatientResolver.Named named =
        resolver
            .resolve(request.patient())
            .orElseThrow(
                () ->
                    bad(
                        Rule.UNKNOWN_PATIENT,
                        "patient must name a patient the hub knows: system|value of a site's"
                            + " identifier, Patient/<id>, or "
                            + IdentifierSystems.REGIONAL_ID
                            + "|<regional id>"));
    record.regionalId(named.regionalId());
    named.person().patientIds().forEach(record::patientId);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    EmergencyGrantEntity e = new EmergencyGrantEntity();
    e.id = UUID.randomUUID().toString();
    e.username = caller.username();
    e.clinicianName = caller.displayName().orElse(null);
    e.subject = caller.subject();
    e.organization = organization;
    e.regionalId = named.regionalId();
    // A regional person is granted as a whole; an unlinked local patient by itself.
    e.patientId = named.regionalId() == null ? named.patientId() : null;
    e.patientReference = request.patient();
    e.reason = reason;
    e.startsAt = now;
    e.endsAt = now.plus(duration);
    db.em().persist(e);
    db.em().flush();
    record.detail("grant " + e.id + " until " + e.endsAt + ": " + e.reason);
    return EmergencyGrant.of(e, now);
  }

  /** The clinician's own grants; the authority's (and admin's) view is every grant. */
  @Transactional
  public List<EmergencyGrant> list(boolean activeOnly) {
    return audit.around(
        emergency.about(AuditAction.SEARCH, EmergencyAudit.GRANT).query("active=" + activeOnly),
        record -> list(activeOnly, record));
  }

  private List<EmergencyGrant> list(boolean activeOnly, AccessAudited.Builder record) {
    boolean all = caller.hasRole(Roles.AUTHORITY) || caller.hasRole(Roles.ADMIN);
    if (!all) {
      requireClinician();
    }
    Instant now = Instant.now();
    String jpql =
        "from EmergencyGrantEntity g where "
            + (all ? "true" : "g.username = :user")
            + (activeOnly ? " and g.endedAt is null and g.endsAt > :now" : "")
            + " order by g.startsAt desc";
    var q = db.em().createQuery(jpql, EmergencyGrantEntity.class).setMaxResults(1000);
    if (!all) {
      q.setParameter("user", caller.username());
    }
    if (activeOnly) {
      q.setParameter("now", now);
    }
    List<EmergencyGrant> grants =
        q.getResultList().stream().map(g -> EmergencyGrant.of(g, now)).toList();
    record.detail(grants.size() + " grants");
    return grants;
  }

  /** Ends a grant early: its holder, or the authority. */
  @Transactional
  public EmergencyGrant end(String id) {
    return audit.around(
        emergency.about(AuditAction.UPDATE, EmergencyAudit.GRANT).query("end " + id),
        record -> end(id, record));
  }

  private EmergencyGrant end(String id, AccessAudited.Builder record) {
    boolean authority = caller.hasRole(Roles.AUTHORITY);
    if (!authority) {
      requireClinician();
    }
    EmergencyGrantEntity e = db.em().find(EmergencyGrantEntity.class, id);
    if (e == null || (!authority && !e.username.equals(caller.username()))) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no emergency grant " + id + " of yours");
    }
    record.regionalId(e.regionalId).patientId(e.patientId);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    if (!e.activeAt(now)) {
      throw new ProblemException(
          ErrorCode.CONFLICT, "emergency grant " + id + " has already ended");
    }
    e.endedAt = now;
    e.endedBy = caller.username();
    db.em().flush();
    record.detail("grant " + id + " ended early by " + e.endedBy);
    return EmergencyGrant.of(e, now);
  }

  private Duration duration(String text) {
    if (text == null || text.isBlank()) {
      return config.emergencyDefaultDuration();
    }
    Duration d;
    try {
      d = Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw bad(Rule.BAD_DURATION, "duration is ISO-8601, e.g. PT4H or PT30M");
    }
    if (d.isNegative() || d.isZero()) {
      throw bad(Rule.BAD_DURATION, "duration must be positive");
    }
    if (d.compareTo(config.emergencyMaxDuration()) > 0) {
      throw new EmergencyRequestRefused(
          Rule.DURATION_TOO_LONG,
          config.emergencyMaxDuration().toMinutes(),
          "an emergency access lasts at most " + config.emergencyMaxDuration());
    }
    return d;
  }

  private String requireClinician() {
    if (!caller.hasRole(Roles.CLINICIAN)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN, "emergency access is for clinicians (the authority reviews it)");
    }
    caller.requireScope(Scopes.USER_IMAGING_STUDY_READ);
    return caller
        .organization()
        .orElseThrow(
            () ->
                new ProblemException(
                    ErrorCode.FORBIDDEN, "the clinician's token names no organization"));
  }

  private static ProblemException bad(Rule rule, String detail) {
    return new EmergencyRequestRefused(rule, 0, detail);
  }
}
