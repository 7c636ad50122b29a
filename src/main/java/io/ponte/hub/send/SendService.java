package io.ponte.hub.send;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.dicomweb.HubQidoService;
import io.ponte.hub.dimse.DimseRetrieve;
import io.ponte.hub.registry.ImagingStudyRepository;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * "Send to my PACS": a clinician sends one study to the PACS their organisation configured ({@link
 * SendDestinations}), never anywhere else. The request is decided at once, as every retrieve is
 * (role, organisation, the registry's visibility and the patient's consent, through {@link
 * DimseRetrieve#planStudy}, i.e. the QIDO and WADO paths): a refusal is a problem, audited, and
 * nothing is sent. An accepted send is audited as an export before it starts, then runs in the
 * background ({@link SendJobs}) as the clinician; its progress is the job the page polls.
 */
@ApplicationScoped
public class SendService {

  /** A send as its requester sees it. */
  public record Job(
      String id,
      String studyUid,
      String destination,
      String state,
      int total,
      int completed,
      int failed,
      // The kind is for the pages to word (SendPages); the API keeps the reason, as before.
      @JsonIgnore SendFailure failure,
      String reason,
      Instant createdAt,
      Instant finishedAt) {

    public boolean finished() {
      return SendJobs.COMPLETED.equals(state) || SendJobs.FAILED.equals(state);
    }

    static Job of(SendJobEntity e) {
      return new Job(
          e.id,
          e.studyUid,
          e.destination,
          e.state,
          e.total,
          e.completed,
          e.failed,
          e.failure,
          e.reason,
          e.createdAt,
          e.finishedAt);
    }
  }

  @Inject Caller caller;

  @Inject CurrentIdentityAssociation identities;

  @Inject SendDestinations destinations;

  @Inject DimseRetrieve retrieve;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  @Inject SendJobs jobs;

  @Inject ImagingStudyRepository studies;

  /** The calling clinician's organisation's PACS, if it has one (for the page's button). */
  public Optional<SendDestinations.Target> destination() {
    if (caller.isAnonymous() || !caller.hasRole(Roles.CLINICIAN)) {
      return Optional.empty();
    }
    return caller.organization().flatMap(destinations::of);
  }

  /**
   * Decides, records and queues a send of {@code studyUid}: one export record, refused or accepted
   * (fail closed: an accepted send is on the trail, with where it goes, before anything is sent).
   */
  public Job start(String studyUid) {
    SecurityIdentity who = identities.getIdentity();
    Queued queued =
        audit.aroundUntransacted(
            audit.about(AuditAction.EXPORT, "ImagingStudy").studyUid(studyUid).successStatus(202),
            record -> decide(studyUid, record),
            q ->
                jobs.abandon(
                    q.job().id,
                    SendFailure.AUDIT_UNAVAILABLE,
                    "the audit trail is unavailable: nothing was sent"));
    jobs.submit(queued.job().id, queued.plan(), queued.target(), who);
    return Job.of(queued.job());
  }

  private record Queued(
      SendJobEntity job, DimseRetrieve.Plan plan, SendDestinations.Target target) {}

  private Queued decide(String studyUid, AccessAudited.Builder record) {
    if (!caller.hasRole(Roles.CLINICIAN)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN, "only a clinician sends studies to their clinic's PACS");
    }
    String organisation =
        caller
            .organization()
            .orElseThrow(
                () -> new ProblemException(ErrorCode.FORBIDDEN, "the token names no organisation"));
    HubQidoService.requireUid("studyUid", studyUid);
    // Whose images would leave the exchange: the record names the patient, as a retrieve's does,
    // so that the export (or its refusal) is in the patient's access log and AuditEvent search.
    studies.locate(studyUid).ifPresent(s -> record.patientId(s.patientId()));
    SendDestinations.Target target =
        destinations
            .of(organisation)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ErrorCode.CONFLICT,
                        "no PACS is configured for organisation " + organisation));
    DimseRetrieve.Plan plan;
    try {
      // Unknown, not visible or withheld by consent: refused here, by the QIDO/WADO path.
      plan = retrieve.planStudy(studyUid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (plan.total() == 0) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "the study has no instances to send");
    }
    SendJobEntity job = new SendJobEntity();
    job.id = UUID.randomUUID().toString();
    job.organization = organisation;
    job.subject = caller.subject();
    job.username = caller.username();
    job.studyUid = studyUid;
    job.destination = target.describe();
    job.state = SendJobs.QUEUED;
    job.total = plan.total();
    job.createdAt = Instant.now();
    QuarkusTransaction.requiringNew().run(() -> db.em().persist(job));
    record.detail(
        "send " + job.id + ": " + plan.total() + " instances to " + target.describe() + ", queued");
    return new Queued(job, plan, target);
  }

  /** The caller's own send (anyone else's is not found). */
  public Job job(String id) {
    if (caller.isAnonymous() || !caller.hasRole(Roles.CLINICIAN)) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "only a clinician follows their sends");
    }
    SendJobEntity e =
        id == null || id.length() > 36
            ? null
            : QuarkusTransaction.requiringNew().call(() -> db.em().find(SendJobEntity.class, id));
    if (e == null || !e.subject.equals(caller.subject())) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no such send");
    }
    return Job.of(e);
  }
}
