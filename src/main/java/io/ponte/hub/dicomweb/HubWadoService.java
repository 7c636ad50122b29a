package io.ponte.hub.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.Problem;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AnsweredStatus;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.registry.RegisteredStudies;
import io.ponte.hub.registry.RegisteredStudy;
import io.ponte.hub.registry.RegistryAccess;
import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * WADO-RS at the hub: decides who may retrieve (clinician, or the patient for their own studies),
 * finds the owning site in the registry, and proxies to that site's node with the hub's own token,
 * streaming the body back. Every retrieve is audited before its first byte is sent (fail closed);
 * refusals and node failures are audited too. A failing site only fails requests for its own
 * studies.
 */
@ApplicationScoped
public class HubWadoService {

  /** What is retrieved, for the audit record and the response treatment. */
  public enum Kind {
    INSTANCES,
    METADATA,
    FRAMES,
    /** A BulkDataURI of the metadata (passed through like frames). */
    BULKDATA,
    /** Rendered images and thumbnails: drawn at the node, only the picture travels. */
    RENDERED
  }

  @Inject RegistryAccess access;

  @Inject RegisteredStudies registry;

  @Inject AuditTrail audit;

  @Inject NodeClient nodes;

  @Inject PonteConfig ponte;

  @Inject ConsentEnforcement consent;

  /**
   * @param studyUid the study in the path (already the first path segment after /studies)
   * @param nodePath the path below /dicomweb to ask the node for (same as the caller's)
   */
  public Response retrieve(
      Kind kind, String studyUid, String nodePath, List<String> accept, String... otherUids) {
    NodeResponse r;
    try {
      r =
          open(
              "DICOMweb WADO-RS " + kind.name().toLowerCase(),
              studyUid,
              nodePath,
              accept,
              otherUids);
    } catch (NodeRefused e) {
      return e.response;
    }
    if (kind == Kind.METADATA) {
      MetadataUrlRewriter rewriter =
          new MetadataUrlRewriter(
              ponte.publicUrl(),
              URI.create(Urls.withoutTrailingSlash(ponte.publicUrl()) + "/dicomweb" + nodePath));
      return NodeResponses.transformed(r, rewriter::copy);
    }
    return NodeResponses.passThrough(r);
  }

  /**
   * The owning node's successful answer to {@code nodePath}, for a caller that consumes the body
   * itself (the DICOMweb proxy above; DIMSE C-GET/C-MOVE at the hub): the same access and consent
   * decision, audited as {@code what} before the first byte is read. A refusal is a {@link
   * ProblemException} (consent denied, unknown study, node unavailable...), audited as refused.
   *
   * <p>The node is asked as soon as the access is decided, and the record commits while the node
   * answers (the two waits overlap instead of adding up). Nothing of the answer is read before the
   * commit: if it fails, the node's answer is reset unread and the caller gets 503
   * AUDIT_UNAVAILABLE. A node that then refuses or fails gets a second record with the code and
   * status the caller is answered (docs/security.md, "Audit").
   */
  public NodeResponse open(
      String what, String studyUid, String nodePath, List<String> accept, String... otherUids) {
    AccessAudited.Builder record =
        audit.about(AuditAction.READ, what).studyUid(studyUid).query(nodePath);
    PendingNodeResponse pending =
        audit.aroundUntransacted(
            record,
            r -> ask(studyUid, nodePath, accept, otherUids, r),
            PendingNodeResponse::cancel);
    try {
      return answer(pending.await());
    } catch (ProblemException e) {
      audit.refusedAfterRecorded(record, e);
      throw e;
    }
  }

  /**
   * Decides the access (the registry is read in a transaction of its own, closed before the node is
   * asked), then sends the node request without waiting for its answer.
   */
  private PendingNodeResponse ask(
      String studyUid,
      String nodePath,
      List<String> accept,
      String[] otherUids,
      AccessAudited.Builder record) {
    String site =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  RegistryAccess.StudyReader reader = access.requireStudyReader();
                  HubQidoService.requireUid("StudyInstanceUID", studyUid);
                  for (String uid : otherUids) {
                    HubQidoService.requireUid("UID", uid);
                  }
                  RegisteredStudy study = registry.visible(reader, studyUid, record);
                  // Decided per study: a whole-study retrieve is refused whole, never partly.
                  consent.requireAccess(study.patientId(), study.siteId(), studyUid, record);
                  return study.siteId();
                });
    record.detail("from site " + site);
    return nodes.start(site, nodePath, accept, record.requestId());
  }

  /** The node's successful answer; a refusal becomes the hub's own problem naming the site. */
  private static NodeResponse answer(NodeResponse r) {
    if (!NodeResponses.isSuccess(r)) {
      Response refusal = NodeResponses.error(r);
      // The code and status the caller is answered with, recorded as they are (never re-derived
      // from the status: a node's 503 is not the hub's AUDIT_UNAVAILABLE).
      Problem answered = (Problem) refusal.getEntity();
      ErrorCode code = codeOf(answered);
      // With the answer's members (site; when to come back, for a study being restored).
      throw new NodeRefused(
          code, "site " + r.site() + " answered " + r.status(), answered.any(), refusal);
    }
    return r;
  }

  /**
   * A node's refusal: audited as refused like any other, answered with the node's status as the
   * hub's own problem document ({@link NodeResponses#error}).
   */
  private static final class NodeRefused extends ProblemException implements AnsweredStatus {
    final transient Response response;

    @Override
    public int answeredStatus() {
      return response.getStatus();
    }

    NodeRefused(ErrorCode code, String detail, Map<String, Object> extensions, Response response) {
      super(code, detail, extensions, null);
      this.response = response;
    }
  }

  private static ErrorCode codeOf(Problem answered) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.code().equals(answered.code())) {
        return c;
      }
    }
    return ErrorCode.SITE_UNAVAILABLE;
  }
}
