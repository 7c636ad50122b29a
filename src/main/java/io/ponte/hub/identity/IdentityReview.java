package io.ponte.hub.identity;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The authority's (or an admin's) review of identity: the pairs the matcher was unsure of, linked
 * or rejected, and unlinking. Every decision is audited ({@code identity-link}, {@code
 * identity-reject}, {@code identity-unlink}) and kept: a reject is remembered (the pair is never
 * proposed or linked automatically again), an unlink is a row of the link history, and a rejected
 * pair can still be linked later. Role checks are here, so refusals are audited too.
 */
@ApplicationScoped
public class IdentityReview {

  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;

  /** The longest decision note, in characters (the page's form says so too). */
  public static final int MAX_NOTE = 500;

  @Inject HubDatabase db;

  @Inject AuditTrail audit;

  @Inject Caller caller;

  @Inject LinkWriter links;

  @Inject PatientRepository patients;

  @Inject IdentityService identity;

  /** One side of a pair: the local patient as its site published it, and its person if any. */
  public record Side(
      String patient,
      String system,
      String value,
      String site,
      String family,
      String given,
      LocalDate birthDate,
      String gender,
      String regionalId) {}

  public record Pair(
      long id,
      double score,
      String reasons,
      String status,
      Instant createdAt,
      Side a,
      Side b,
      String reviewedBy,
      String reviewedByName,
      Instant reviewedAt,
      String note) {}

  public record Page(List<Pair> pairs, int offset, boolean more) {}

  public record History(
      long id,
      String patient,
      String system,
      String value,
      String site,
      String action,
      String method,
      Double score,
      Instant at,
      String by,
      String reason) {}

  /** Pairs of a status (open: the review list), best score first; pairs already linked left out. */
  @Transactional
  public Page list(String status, Integer count, Integer offset) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "Patient").query("identity review list status=" + status),
        record -> {
          requireReviewer();
          if (!List.of(
                  MatchCandidateEntity.OPEN,
                  MatchCandidateEntity.ACCEPTED,
                  MatchCandidateEntity.REJECTED)
              .contains(status)) {
            throw new ProblemException(
                ErrorCode.BAD_REQUEST, "status is one of open, accepted, rejected");
          }
          int n = count == null ? DEFAULT_COUNT : count;
          int from = offset == null ? 0 : offset;
          if (n < 1 || n > MAX_COUNT || from < 0) {
            throw new ProblemException(
                ErrorCode.BAD_REQUEST, "_count is 1 to " + MAX_COUNT + " and _offset at least 0");
          }
          List<MatchCandidateEntity> rows =
              db.em()
                  .createQuery(
                      "select c from MatchCandidateEntity c where c.status = ?1"
                          + (MatchCandidateEntity.OPEN.equals(status)
                              ? " and not exists (select 1 from IdentityLinkEntity l1,"
                                  + " IdentityLinkEntity l2 where l1.patientId = c.patientA and"
                                  + " l2.patientId = c.patientB and l1.regionalId = l2.regionalId)"
                              : "")
                          + " order by c.score desc, c.id",
                      MatchCandidateEntity.class)
                  .setParameter(1, status)
                  .setFirstResult(from)
                  .setMaxResults(n + 1)
                  .getResultList();
          List<Pair> pairs = new ArrayList<>();
          for (MatchCandidateEntity c : rows.subList(0, Math.min(n, rows.size()))) {
            record.patientId(c.patientA).patientId(c.patientB);
            pairs.add(view(c));
          }
          return new Page(pairs, from, rows.size() > n);
        });
  }

  /** Links the pair: into the person one of them has, or a new one; refused across two persons. */
  @Transactional
  public Pair link(long id, String note) {
    return audit.around(
        audit.about(AuditAction.IDENTITY_LINK, "Patient").query("review pair " + id),
        record -> {
          requireReviewer();
          MatchCandidateEntity c = candidate(id, record);
          if (MatchCandidateEntity.ACCEPTED.equals(c.status) && samePerson(c)) {
            return view(c);
          }
          PatientEntity a = db.em().find(PatientEntity.class, c.patientA);
          PatientEntity b = db.em().find(PatientEntity.class, c.patientB);
          Optional<String> ra = identity.regionalIdOf(a.id);
          Optional<String> rb = identity.regionalIdOf(b.id);
          if (ra.isPresent() && rb.isPresent() && !ra.get().equals(rb.get())) {
            throw new ProblemException(
                ErrorCode.CONFLICT,
                "the two patients belong to different persons ("
                    + ra.get()
                    + ", "
                    + rb.get()
                    + "); unlink one of them first");
          }
          Instant now = Instant.now();
          String regionalId = ra.or(() -> rb).orElseGet(links::newRegionalId);
          links.lockPerson(regionalId);
          String by = caller.username();
          String reason = "reviewed pair " + id + (note(note) == null ? "" : ": " + note(note));
          double score = c.score.doubleValue();
          if (ra.isEmpty()) {
            links.link(a, regionalId, LinkWriter.MANUAL, score, by, reason, now);
          }
          if (rb.isEmpty()) {
            links.link(b, regionalId, LinkWriter.MANUAL, score, by, reason, now);
          }
          decide(c, MatchCandidateEntity.ACCEPTED, note, now);
          db.em().flush();
          record.regionalId(regionalId).detail("linked under " + regionalId);
          return view(c);
        });
  }

  /** The pair is not one person: remembered, never proposed or linked automatically again. */
  @Transactional
  public Pair reject(long id, String note) {
    return audit.around(
        audit.about(AuditAction.IDENTITY_REJECT, "Patient").query("review pair " + id),
        record -> {
          requireReviewer();
          MatchCandidateEntity c = candidate(id, record);
          if (samePerson(c)) {
            throw new ProblemException(
                ErrorCode.CONFLICT, "the two patients are linked; unlink one of them instead");
          }
          decide(c, MatchCandidateEntity.REJECTED, note, Instant.now());
          record.detail("rejected");
          return view(c);
        });
  }

  /**
   * Takes a local patient out of its person. The link history keeps what was undone; the patient
   * and the person's remaining patients are remembered as not one person, so the matcher will not
   * link them again (a reviewer still can, through the rejected pairs).
   */
  @Transactional
  public LinkSet unlink(LocalIdentifier identifier, String note) {
    return audit.around(
        audit.about(AuditAction.IDENTITY_UNLINK, "Patient"),
        record -> {
          requireReviewer();
          if (identifier == null
              || identifier.system() == null
              || identifier.value() == null
              || identifier.value().isBlank()) {
            throw new ProblemException(
                ErrorCode.BAD_REQUEST, "name the patient to unlink by system and value");
          }
          record.patientIdentifier(identifier.token());
          PatientEntity patient =
              patients
                  .findByIdentifier(identifier.system(), identifier.value().trim())
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ErrorCode.NOT_FOUND, "no patient " + identifier.token()));
          record.patientId(patient.id);
          IdentityLinkEntity link = db.em().find(IdentityLinkEntity.class, patient.id);
          if (link == null) {
            throw new ProblemException(
                ErrorCode.CONFLICT, identifier.token() + " is not linked to a person");
          }
          String regionalId = link.regionalId;
          record.regionalId(regionalId);
          links.lockPerson(regionalId);
          Instant now = Instant.now();
          String by = caller.username();
          links.unlink(link, by, note(note), now);
          for (String other : identity.patientIdsOf(regionalId)) {
            keepApart(patient, db.em().find(PatientEntity.class, other), note, now);
          }
          record.detail("unlinked from " + regionalId);
          return identity.describe(regionalId);
        });
  }

  /** Every link and unlink a person's regional id has seen, oldest first. */
  @Transactional
  public List<History> history(String regionalId) {
    return audit.around(
        audit
            .about(AuditAction.READ, "Patient")
            .regionalId(regionalId)
            .query("identity link history"),
        record -> {
          requireReviewer();
          List<History> out = new ArrayList<>();
          for (Object[] row :
              db.em()
                  .createQuery(
                      "select h, p from LinkHistoryEntity h, PatientEntity p"
                          + " where h.regionalId = ?1 and p.id = h.patientId order by h.id",
                      Object[].class)
                  .setParameter(1, regionalId)
                  .setMaxResults(1000)
                  .getResultList()) {
            LinkHistoryEntity h = (LinkHistoryEntity) row[0];
            PatientEntity p = (PatientEntity) row[1];
            record.patientId(p.id);
            out.add(
                new History(
                    h.id,
                    p.id,
                    p.identifierSystem,
                    p.identifierValue,
                    p.siteId,
                    h.action,
                    h.method,
                    h.score == null ? null : h.score.doubleValue(),
                    h.at,
                    h.byUser,
                    h.reason));
          }
          return out;
        });
  }

  private void keepApart(PatientEntity a, PatientEntity b, String note, Instant now) {
    String first = a.id.compareTo(b.id) < 0 ? a.id : b.id;
    String second = first.equals(a.id) ? b.id : a.id;
    MatchScorer.Score score =
        MatchScorer.score(IdentityService.demographicsOf(a), IdentityService.demographicsOf(b));
    db.em()
        .createNativeQuery(
            "insert into identity_match_candidate (patient_a, patient_b, score, status, reasons,"
                + " created_at, reviewed_by, reviewed_at, reviewed_note, reviewed_by_name)"
                + " values (?1, ?2, ?3, 'rejected', ?4, ?5, ?6, ?5, ?7, ?8)"
                + " on conflict (patient_a, patient_b) do update set status = 'rejected',"
                + " reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,"
                + " reviewed_by_name = excluded.reviewed_by_name,"
                + " reviewed_note = excluded.reviewed_note")
        .setParameter(1, first)
        .setParameter(2, second)
        .setParameter(3, LinkWriter.decimal(score.value()))
        .setParameter(4, score.explained())
        .setParameter(5, now)
        .setParameter(6, caller.username())
        .setParameter(7, "unlinked" + (note(note) == null ? "" : ": " + note(note)))
        .setParameter(8, caller.displayName().orElse(null))
        .executeUpdate();
  }

  private MatchCandidateEntity candidate(long id, AccessAudited.Builder record) {
    MatchCandidateEntity c =
        db.em().find(MatchCandidateEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (c == null) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no review pair " + id);
    }
    record.patientId(c.patientA).patientId(c.patientB);
    return c;
  }

  private boolean samePerson(MatchCandidateEntity c) {
    Optional<String> a = identity.regionalIdOf(c.patientA);
    return a.isPresent() && a.equals(identity.regionalIdOf(c.patientB));
  }

  private void decide(MatchCandidateEntity c, String status, String note, Instant now) {
    c.status = status;
    c.reviewedBy = caller.username();
    c.reviewedByName = caller.displayName().orElse(null);
    c.reviewedAt = now;
    c.reviewedNote = note(note);
  }

  private static String note(String note) {
    if (note == null || note.isBlank()) {
      return null;
    }
    String n = note.strip();
    if (n.length() > MAX_NOTE) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "a note is at most " + MAX_NOTE + " characters");
    }
    return n;
  }

  private Pair view(MatchCandidateEntity c) {
    return new Pair(
        c.id,
        c.score.doubleValue(),
        c.reasons,
        c.status,
        c.createdAt,
        side(c.patientA),
        side(c.patientB),
        c.reviewedBy,
        c.reviewedByName,
        c.reviewedAt,
        c.reviewedNote);
  }

  private Side side(String patientId) {
    PatientEntity p = db.em().find(PatientEntity.class, patientId);
    return new Side(
        p.id,
        p.identifierSystem,
        p.identifierValue,
        p.siteId,
        p.familyName,
        p.givenNames,
        p.birthDate,
        p.gender,
        identity.regionalIdOf(p.id).orElse(null));
  }

  void requireReviewer() {
    if (!caller.hasRole(Roles.AUTHORITY) && !caller.hasRole(Roles.ADMIN)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN, "only the authority or an admin may review identity links");
    }
  }
}
