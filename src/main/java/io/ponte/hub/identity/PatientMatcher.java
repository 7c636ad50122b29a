package io.ponte.hub.identity;

import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a newly published local patient against the patients other sites published: candidates by
 * {@link MatchBlocking} (indexed birth date, never a scan), scored by {@link MatchScorer}, decided
 * by {@link MatchDecision}. An automatic link and the review list are written in the publication's
 * transaction; pairs a reviewer rejected (and persons holding a rejected patient) are never
 * proposed again.
 */
@ApplicationScoped
class PatientMatcher {

  /** Who the history names for the matcher's own links. */
  static final String MATCHER = "ponte-matcher";

  @Inject HubDatabase db;

  @Inject MatchConfig config;

  @Inject LinkWriter links;

  @Inject AuditTrail audit;

  /**
   * Serialises the matching of new patients hub-wide until commit, so that two sites publishing the
   * same person at once see each other (the second waits for the first's commit). Only new or
   * re-described unlinked patients take it: a rare event next to publications.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  void lock() {
    db.em()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext('identity-match'))")
        .getSingleResult();
  }

  /** Runs the matcher for {@code patient} (unlinked); returns what it did, for the audit. */
  @Transactional(Transactional.TxType.MANDATORY)
  String match(PatientEntity patient) {
    Demographics demographics = IdentityService.demographicsOf(patient);
    MatchBlocking blocking = MatchBlocking.of(demographics);
    if (blocking == null) {
      return "no birth date: not matched";
    }
    List<Object[]> rows =
        db.em()
            .createQuery(
                "select p, l.regionalId from PatientEntity p"
                    + " left join IdentityLinkEntity l on l.patientId = p.id"
                    + " where p.siteId <> ?1 and (p.birthDate in ?2"
                    + " or (p.birthDate in ?3 and substring(p.nameSearch, 1, 2) in ?4))",
                Object[].class)
            .setParameter(1, patient.siteId)
            .setParameter(2, blocking.close())
            .setParameter(3, blocking.variants())
            .setParameter(4, blocking.prefixes().isEmpty() ? Set.of("") : blocking.prefixes())
            .setMaxResults(config.maxCandidates())
            .getResultList();
    Set<String> rejected = rejectedPartners(patient.id);
    Set<String> rejectedPersons = new HashSet<>();
    for (Object[] row : rows) {
      if (rejected.contains(((PatientEntity) row[0]).id) && row[1] != null) {
        rejectedPersons.add((String) row[1]);
      }
    }
    rejectedPersons.addAll(regionalIdsOf(rejected));
    Map<String, Set<String>> sitesOfPerson = sitesOfPersons(rows);
    List<MatchDecision.Candidate> candidates = new ArrayList<>();
    for (Object[] row : rows) {
      PatientEntity other = (PatientEntity) row[0];
      String regionalId = (String) row[1];
      if (rejected.contains(other.id)
          || (regionalId != null && rejectedPersons.contains(regionalId))) {
        continue;
      }
      candidates.add(
          new MatchDecision.Candidate(
              other.id,
              other.siteId,
              regionalId,
              regionalId == null ? Set.of(other.siteId) : sitesOfPerson.get(regionalId),
              MatchScorer.score(demographics, IdentityService.demographicsOf(other))));
    }
    MatchDecision.Outcome outcome =
        MatchDecision.decide(patient.siteId, candidates, config.autoLink(), config.review());
    Instant now = Instant.now();
    if (outcome.link() != null) {
      autoLink(patient, outcome.link(), now);
      return "linked automatically (score " + outcome.link().score().value() + ")";
    }
    for (MatchDecision.Candidate c : outcome.review()) {
      propose(patient.id, c.patientId(), c.score(), MatchCandidateEntity.OPEN, now);
    }
    return candidates.size()
        + " candidates scored, "
        + outcome.review().size()
        + " put on the review list";
  }

  private void autoLink(PatientEntity patient, MatchDecision.Candidate c, Instant now) {
    PatientEntity other = db.em().find(PatientEntity.class, c.patientId());
    String reason = "score " + c.score().value() + ": " + c.score().explained();
    audit.around(
        audit
            .about(AuditAction.IDENTITY_LINK, "Patient")
            .patientId(patient.id)
            .patientId(other.id)
            .patientIdentifier(patient.identifier().token())
            .patientIdentifier(other.identifier().token())
            .query("automatic match"),
        record -> {
          String regionalId = c.regionalId();
          if (regionalId == null) {
            regionalId = links.newRegionalId();
            links.lockPerson(regionalId);
            links.link(
                other, regionalId, LinkWriter.SCORED, c.score().value(), MATCHER, reason, now);
          } else {
            links.lockPerson(regionalId);
          }
          links.link(
              patient, regionalId, LinkWriter.SCORED, c.score().value(), MATCHER, reason, now);
          propose(patient.id, other.id, c.score(), MatchCandidateEntity.ACCEPTED, now);
          record.regionalId(regionalId).detail("linked automatically; " + reason);
          return regionalId;
        });
  }

  /** Records a scored pair (once: a pair already known keeps its status). */
  void propose(String a, String b, MatchScorer.Score score, String status, Instant now) {
    String first = a.compareTo(b) < 0 ? a : b;
    String second = first.equals(a) ? b : a;
    db.em()
        .createNativeQuery(
            "insert into identity_match_candidate (patient_a, patient_b, score, status, reasons,"
                + " created_at, reviewed_by, reviewed_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                + " on conflict (patient_a, patient_b) do nothing")
        .setParameter(1, first)
        .setParameter(2, second)
        .setParameter(3, LinkWriter.decimal(score.value()))
        .setParameter(4, status)
        .setParameter(5, truncate(score.explained()))
        .setParameter(6, now)
        .setParameter(7, MatchCandidateEntity.OPEN.equals(status) ? null : MATCHER)
        .setParameter(8, MatchCandidateEntity.OPEN.equals(status) ? null : now)
        .executeUpdate();
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private Set<String> rejectedPartners(String patientId) {
    Set<String> out = new HashSet<>();
    for (MatchCandidateEntity c :
        db.em()
            .createQuery(
                "from MatchCandidateEntity where status = ?1 and (patientA = ?2 or patientB = ?2)",
                MatchCandidateEntity.class)
            .setParameter(1, MatchCandidateEntity.REJECTED)
            .setParameter(2, patientId)
            .getResultList()) {
      out.add(c.other(patientId));
    }
    return out;
  }

  private Set<String> regionalIdsOf(Set<String> patientIds) {
    if (patientIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        db.em()
            .createQuery(
                "select l.regionalId from IdentityLinkEntity l where l.patientId in ?1",
                String.class)
            .setParameter(1, patientIds)
            .getResultList());
  }

  private Map<String, Set<String>> sitesOfPersons(List<Object[]> rows) {
    Set<String> regionalIds = new HashSet<>();
    for (Object[] row : rows) {
      if (row[1] != null) {
        regionalIds.add((String) row[1]);
      }
    }
    Map<String, Set<String>> out = new HashMap<>();
    if (regionalIds.isEmpty()) {
      return out;
    }
    for (Object[] r :
        db.em()
            .createQuery(
                "select l.regionalId, p.siteId from IdentityLinkEntity l, PatientEntity p"
                    + " where p.id = l.patientId and l.regionalId in ?1",
                Object[].class)
            .setParameter(1, regionalIds)
            .getResultList()) {
      out.computeIfAbsent((String) r[0], k -> new HashSet<>()).add((String) r[1]);
    }
    return out;
  }
}
