package io.ponte.hub.consent;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.role.PonteConfig;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.jboss.logging.Logger;

/**
 * Where the read paths (FHIR ImagingStudy and Patient, QIDO-RS, WADO-RS) meet the consent decision,
 * in one or two lines each: a retrieve either passes or is refused with 403 {@code
 * ponte:consent-denied}; a search learns which rows to leave out and says that a filter applied,
 * never what it hid. Only clinicians are subject to it: a patient reads their own studies (the
 * registry already limits them), and no other role reads studies at all. Accesses made under an
 * emergency grant are audited as emergency, in the access's own transaction.
 */
@ApplicationScoped
public class ConsentEnforcement {

  private static final Logger LOG = Logger.getLogger(ConsentEnforcement.class);

  /** The QIDO-RS {@code Warning} header (RFC 7234 form) when a search left studies out. */
  public static final String FILTERED_WARNING =
      "299 ponte \"some results were withheld by patient consent\"";

  /** The text of the Bundle's OperationOutcome warning when a search left resources out. */
  public static final String FILTERED_TEXT =
      "Some results were withheld because of patients' consent to sharing.";

  @Inject Caller caller;

  @Inject ConsentDecisions decisions;

  @Inject EmergencyAudit emergencyAudit;

  @Inject SearchVisibility visibility;

  @Inject ConsentConfig config;

  @Inject PonteConfig ponte;

  void onStart(@Observes StartupEvent event) {
    if (ponte.isHub() && !config.enforcement()) {
      LOG.warn(
          "ponte.hub.consent.enforcement=false: patients' consent is NOT enforced; every clinician"
              + " sees every study. This setting exists for benchmarks only.");
    }
  }

  /**
   * What the caller's search may show, for the registry to put into its SQL (so that paging counts
   * visible rows only); unrestricted for callers not subject to consent.
   */
  public SearchScope scope() {
    if (!subjectToConsent()) {
      return SearchScope.UNRESTRICTED;
    }
    return visibility.scope(caller.organization().orElse(null), caller.username(), Instant.now());
  }

  /** What {@link #search} found, with the scope it was found under. */
  public record Scoped<T>(SearchScope scope, T found) {}

  /**
   * Runs a single-statement search under the caller's scope without first reading the consent
   * epoch: the scope comes from the decisions made last, and its SQL ({@code visible}) shows rows
   * only while the database's epoch is still theirs, tested in the statement's own snapshot. A
   * search that found rows therefore ran under current decisions; one that found nothing may have
   * met a newer epoch, so the epoch is read then and, if it moved, the search runs again under a
   * scope decided now. A revocation still holds on the very next search, at no round trip on the
   * searches that find something.
   *
   * @param showsNothing whether a result has no row (then the epoch is checked)
   */
  public <T> Scoped<T> search(Function<SearchScope, T> search, Predicate<T> showsNothing) {
    if (!subjectToConsent()) {
      return new Scoped<>(SearchScope.UNRESTRICTED, search.apply(SearchScope.UNRESTRICTED));
    }
    String organization = caller.organization().orElse(null);
    Instant now = Instant.now();
    SearchScope last = visibility.lastScope(organization, caller.username(), now);
    T found = search.apply(last);
    if (!showsNothing.test(found) || visibility.current(last)) {
      return new Scoped<>(last, found);
    }
    SearchScope fresh = visibility.scope(organization, caller.username(), now);
    return new Scoped<>(fresh, search.apply(fresh));
  }

  /**
   * After a search under {@code scope} returned {@code page}: audits the rows shown only under one
   * of the caller's emergency grants (one record per grant, naming them).
   */
  public void shown(SearchScope scope, Collection<ConsentDecisions.Subject> page) {
    shown(scope, page, List.of());
  }

  /**
   * As {@link #shown(SearchScope, Collection)}, for a page that also names other records beside its
   * rows (a Patient's links to the other records of its person): decides for {@code named} at once,
   * as {@link #filter} does, and audits what the page shows and names under a grant in the same
   * records, one per grant.
   */
  public Filter shown(
      SearchScope scope,
      Collection<ConsentDecisions.Subject> page,
      Collection<ConsentDecisions.Subject> named) {
    return decided(scope.emergency(), page, named);
  }

  /**
   * Refuses (403 consent-denied) unless the caller may see the study (or Patient) of hub Patient
   * {@code patientId} held at {@code owningSite}.
   */
  public void requireAccess(
      String patientId, String owningSite, String studyUid, AccessAudited.Builder record) {
    if (!subjectToConsent()) {
      return;
    }
    String key = studyUid != null ? studyUid : patientId;
    Decision decision =
        decisions
            .decideAll(
                caller.organization().orElse(null),
                caller.username(),
                List.of(new ConsentDecisions.Subject(key, patientId, owningSite)),
                Instant.now())
            .get(key);
    refuseIfDenied(decision, record);
    if (decision.outcome() == Decision.Outcome.PERMIT_EMERGENCY) {
      auditUse(
          decision,
          List.of(patientId),
          decisions.personOf(patientId),
          studyUid == null ? List.of() : List.of(studyUid));
    }
  }

  /**
   * As {@link #requireAccess(String, String, String, AccessAudited.Builder)}, for a Patient read
   * that also names other records of its person ({@code named}: Patient.link): all decided at once,
   * the read refused as there, and what it reads and names under a grant audited in one record per
   * grant (not one for the read and another for its links). Returns which of {@code named} to leave
   * out.
   */
  public Filter requireAccess(
      ConsentDecisions.Subject read,
      Collection<ConsentDecisions.Subject> named,
      AccessAudited.Builder record) {
    if (!subjectToConsent()) {
      return Filter.NONE;
    }
    List<ConsentDecisions.Subject> all = new java.util.ArrayList<>(List.of(read));
    all.addAll(named);
    Map<String, Decision> decided =
        decisions.decideAll(
            caller.organization().orElse(null), caller.username(), all, Instant.now());
    refuseIfDenied(decided.get(read.key()), record);
    Set<String> hidden = new HashSet<>();
    for (ConsentDecisions.Subject s : named) {
      if (decided.get(s.key()).outcome() == Decision.Outcome.DENY) {
        hidden.add(s.key());
      }
    }
    auditGrantUses(all, decided, decisions.personOf(read.patientId()));
    return hidden.isEmpty() ? Filter.NONE : new Filter(Set.copyOf(hidden));
  }

  private static void refuseIfDenied(Decision decision, AccessAudited.Builder record) {
    if (decision.outcome() == Decision.Outcome.DENY) {
      if (record != null) {
        record.detail("consent: " + decision.reason());
      }
      throw new ProblemException(
          ErrorCode.CONSENT_DENIED,
          "the patient's consent does not allow sharing this with your organisation");
    }
  }

  /** What a search may show: the keys to leave out, and whether anything was left out. */
  public record Filter(Set<String> hidden) {
    public static final Filter NONE = new Filter(Set.of());

    public boolean shows(String key) {
      return !hidden.contains(key);
    }

    public boolean filtered() {
      return !hidden.isEmpty();
    }

    /** A QIDO-RS answer's Warning headers, with the consent notice when something was withheld. */
    public List<String> warnings(List<String> others) {
      if (!filtered()) {
        return others;
      }
      List<String> out = new java.util.ArrayList<>(others);
      out.add(FILTERED_WARNING);
      return out;
    }
  }

  /**
   * Decides for a whole page of a search at once (no query per row). Keys are the caller's own
   * (e.g. a Study Instance UID); the subjects' patient ids and owning sites are what is decided on.
   */
  public Filter filter(Collection<ConsentDecisions.Subject> subjects) {
    return decided(Map.of(), List.of(), subjects);
  }

  /**
   * Decides for {@code undecided} at once; {@code page} was shown already, under a search scope
   * whose emergency decisions are {@code emergency} (by hub Patient). Audits both's grant uses.
   */
  private Filter decided(
      Map<String, Decision> emergency,
      Collection<ConsentDecisions.Subject> page,
      Collection<ConsentDecisions.Subject> undecided) {
    Map<String, Decision> decided = new java.util.HashMap<>();
    Set<String> hidden = new HashSet<>();
    if (!undecided.isEmpty() && subjectToConsent()) {
      decided.putAll(
          decisions.decideAll(
              caller.organization().orElse(null), caller.username(), undecided, Instant.now()));
      for (ConsentDecisions.Subject s : undecided) {
        if (decided.get(s.key()).outcome() == Decision.Outcome.DENY) {
          hidden.add(s.key());
        }
      }
    }
    for (ConsentDecisions.Subject s : page) {
      Decision d = emergency.get(s.patientId());
      if (d != null) {
        decided.put(s.key(), d);
      }
    }
    if (!decided.isEmpty()) {
      List<ConsentDecisions.Subject> all = new java.util.ArrayList<>(page);
      all.addAll(undecided);
      auditGrantUses(all, decided, null);
    }
    return hidden.isEmpty() ? Filter.NONE : new Filter(Set.copyOf(hidden));
  }

  /**
   * One emergency record per grant a page used, naming every study it showed under it (and the
   * person's regional id when the records are one person's).
   */
  private void auditGrantUses(
      Collection<ConsentDecisions.Subject> subjects, Map<String, Decision> decided, Person person) {
    Map<String, List<ConsentDecisions.Subject>> underGrant = new java.util.LinkedHashMap<>();
    Map<String, Decision> grantDecision = new java.util.HashMap<>();
    for (ConsentDecisions.Subject s : subjects) {
      Decision d = decided.get(s.key());
      if (d != null && d.outcome() == Decision.Outcome.PERMIT_EMERGENCY) {
        underGrant.computeIfAbsent(d.grantId(), g -> new java.util.ArrayList<>()).add(s);
        grantDecision.putIfAbsent(d.grantId(), d);
      }
    }
    underGrant.forEach(
        (grant, shown) ->
            auditUse(
                grantDecision.get(grant),
                shown.stream().map(ConsentDecisions.Subject::patientId).distinct().toList(),
                person,
                shown.stream()
                    .filter(s -> !s.key().equals(s.patientId())) // a Patient search's keys
                    .map(ConsentDecisions.Subject::key)
                    .toList()));
  }

  /** A QIDO-RS answer's Warning headers, with the consent notice when something was withheld. */
  public static List<String> warnings(boolean withheld, List<String> others) {
    if (!withheld) {
      return others;
    }
    List<String> out = new java.util.ArrayList<>(others);
    out.add(FILTERED_WARNING);
    return out;
  }

  /**
   * Adds the search's "a filter applied" notice to a searchset Bundle: an OperationOutcome entry
   * (search.mode outcome) with a warning, saying neither what nor how many were withheld.
   */
  public static void warnFiltered(Bundle bundle) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.setId(UUID.randomUUID().toString());
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.WARNING)
        .setCode(OperationOutcome.IssueType.SUPPRESSED)
        .setDiagnostics(FILTERED_TEXT);
    bundle
        .addEntry()
        .setFullUrl("urn:uuid:" + outcome.getIdElement().getIdPart())
        .setResource(outcome)
        .getSearch()
        .setMode(Bundle.SearchEntryMode.OUTCOME);
  }

  private boolean subjectToConsent() {
    return config.enforcement() && caller.hasRole(Roles.CLINICIAN);
  }

  private void auditUse(
      Decision decision, List<String> patientIds, Person person, List<String> studies) {
    AccessAudited.Builder use = emergencyAudit.about(AuditAction.READ, EmergencyAudit.USE);
    patientIds.forEach(use::patientId);
    if (person != null) {
      use.regionalId(person.regionalId());
    }
    studies.forEach(use::studyUid);
    use.query("grant " + decision.grantId()).detail(decision.reason());
    emergencyAudit.used(use);
  }
}
