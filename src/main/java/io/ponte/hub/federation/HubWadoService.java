package io.ponte.hub.federation;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.registry.ImagingStudyEntity;
import io.ponte.hub.registry.RegistryAccess;
import io.ponte.role.PonteConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
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
    FRAMES
  }

  @Inject RegistryAccess access;

  @Inject HubQidoService registry;

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
    AccessAudited.Builder record =
        audit
            .about(AuditAction.READ, "DICOMweb WADO-RS " + kind.name().toLowerCase())
            .studyUid(studyUid)
            .query(nodePath);
    String site;
    try {
      site =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    RegistryAccess.StudyReader reader = access.requireStudyReader();
                    HubQidoService.requireUid("StudyInstanceUID", studyUid);
                    for (String uid : otherUids) {
                      HubQidoService.requireUid("UID", uid);
                    }
                    ImagingStudyEntity study = registry.ownedStudy(reader, studyUid, record);
                    // Decided per study: a whole-study retrieve is refused whole, never partly.
                    consent.requireAccess(study.patientId, study.siteId, studyUid, record);
                    return study.siteId;
                  });
    } catch (ProblemException e) {
      audit.refused(record, e);
      throw e;
    }
    record.detail("from site " + site);
    NodeResponse r;
    try {
      r = nodes.get(site, nodePath, accept);
    } catch (ProblemException e) {
      audit.refused(record, e);
      throw e;
    }
    if (!NodeResponses.isSuccess(r)) {
      Response refusal = NodeResponses.error(r);
      audit.refused(
          record,
          new ProblemException(
              codeOf(refusal.getStatus()),
              "site " + site + " answered " + r.status(),
              Map.of("site", site),
              null));
      return refusal;
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> audit.succeeded(record));
    } catch (RuntimeException e) {
      closeQuietly(r);
      throw e instanceof ProblemException p
          ? p
          : new ProblemException(
              ErrorCode.AUDIT_UNAVAILABLE, "the retrieve could not be audited", Map.of(), e);
    }
    if (kind == Kind.METADATA) {
      MetadataUrlRewriter rewriter =
          new MetadataUrlRewriter(
              ponte.publicUrl(), URI.create(trim(ponte.publicUrl()) + "/dicomweb" + nodePath));
      return NodeResponses.transformed(r, rewriter::copy);
    }
    return NodeResponses.passThrough(r);
  }

  private static ErrorCode codeOf(int status) {
    return Arrays.stream(ErrorCode.values())
        .filter(c -> c.status() == status)
        .findFirst()
        .orElse(status >= 500 ? ErrorCode.SITE_UNAVAILABLE : ErrorCode.BAD_REQUEST);
  }

  private static void closeQuietly(NodeResponse r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // the connection is dropped anyway
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
