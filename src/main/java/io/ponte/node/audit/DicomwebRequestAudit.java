package io.ponte.node.audit;

import io.ponte.dicom.UID;
import io.ponte.request.RequestIds;
import io.ponte.role.PonteConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The audit of the node's DICOMweb: one record per request, written when its answer has ended (or
 * was cut), whatever answered it, so a 401 or a 403 before any resource ran is recorded too: a
 * WADO-RS retrieve or a QIDO-RS query of the hub (with the hub's request id, its client, the study
 * or the query), or a STOW-RS store (one record per study stored, plus one for the failures, from
 * the {@link StowTally} the STOW-RS resource leaves on the request). A route of the node role only.
 */
@ApplicationScoped
public class DicomwebRequestAudit {

  /** Routing-context key of a STOW-RS request's {@link StowTally}. */
  public static final String STOW_TALLY = "ponte.audit.stow";

  /** What a STOW-RS request stored per study, and how many parts failed. */
  public record StowTally(Map<String, Integer> storedByStudy, int failed, String targetStudy) {}

  @Inject PonteConfig ponte;

  @Inject NodeAuditLog log;

  void install(@Observes Router router) {
    if (!ponte.isNode()) {
      return;
    }
    // After RequestIds (which gives the request its id), before security and the resources.
    router.route("/dicomweb/*").order(Integer.MIN_VALUE + 20).handler(this::begin);
  }

  private void begin(RoutingContext context) {
    Instant started = Instant.now();
    context.addEndHandler(ended -> end(context, started, ended.succeeded()));
    context.next();
  }

  private void end(RoutingContext context, Instant started, boolean complete) {
    String method = context.request().method().name();
    String path = context.normalizedPath();
    int status = context.response().getStatusCode();
    String outcome = complete ? NodeAuditEvent.outcomeOf(status) : "error";
    String cut = complete ? null : "the answer was cut before its end";
    HttpCaller http = HttpCaller.of(context, started, status);
    List<String> segments =
        List.of(path.substring(Math.min(path.length(), "/dicomweb/".length())).split("/"));
    String study =
        segments.size() > 1 && segments.get(0).equals("studies") ? segments.get(1) : null;
    String badStudy = null;
    if (study != null && !UID.isValid(study)) {
      badStudy = study.length() > 64 ? study.substring(0, 64) + "..." : study;
      study = null;
    }
    if (method.equals("POST")) {
      StowTally tally = context.get(STOW_TALLY);
      if (tally != null && complete) {
        for (Map.Entry<String, Integer> e : tally.storedByStudy().entrySet()) {
          log.record(
              http.event(
                  NodeAuditEvent.INGEST,
                  "STOW-RS",
                  "success",
                  e.getKey(),
                  null,
                  e.getValue(),
                  0,
                  null));
        }
        if (tally.failed() == 0) {
          return;
        }
        log.record(
            http.event(
                NodeAuditEvent.INGEST,
                "STOW-RS",
                "invalid",
                tally.targetStudy(),
                null,
                0,
                tally.failed(),
                tally.failed() + " parts refused"));
        return;
      }
      log.record(
          http.event(
              NodeAuditEvent.INGEST,
              "STOW-RS",
              outcome,
              study,
              null,
              null,
              null,
              detail(cut, badStudy)));
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return;
    }
    String last = segments.get(segments.size() - 1);
    boolean query = last.equals("studies") || last.equals("series") || last.equals("instances");
    String patient = null;
    String detail = detail(cut, badStudy);
    if (query) {
      patient = first(context, "PatientID", "00100020");
      String q = context.request().query();
      detail = path.replaceFirst("^/dicomweb", "") + (q == null ? "" : "?" + q);
      if (cut != null) {
        detail = detail + "; " + cut;
      }
    }
    log.record(
        http.event(
            query ? NodeAuditEvent.QUERY : NodeAuditEvent.RETRIEVE,
            query ? "QIDO-RS" : "WADO-RS",
            outcome,
            study,
            patient,
            query ? null : context.get(RETRIEVED_INSTANCES),
            null,
            detail));
  }

  /** Who asked and how it was answered: the part every record of one request shares. */
  private record HttpCaller(
      Instant started,
      int status,
      String address,
      String subject,
      String client,
      String site,
      String requestId) {

    static HttpCaller of(RoutingContext context, Instant started, int status) {
      String subject = null;
      String client = null;
      String site = null;
      if (context.user() instanceof QuarkusHttpUser user) {
        SecurityIdentity identity = user.getSecurityIdentity();
        if (identity != null
            && !identity.isAnonymous()
            && identity.getPrincipal() instanceof JsonWebToken jwt) {
          subject = jwt.getSubject();
          client = claim(jwt, "azp");
          site = claim(jwt, "site");
        }
      }
      String address =
          context.request().remoteAddress() == null
              ? null
              : context.request().remoteAddress().hostAddress();
      return new HttpCaller(
          started, status, address, subject, client, site, RequestIds.of(context));
    }

    NodeAuditEvent event(
        String event,
        String protocol,
        String outcome,
        String study,
        String patient,
        Integer instances,
        Integer failed,
        String detail) {
      return new NodeAuditEvent(
          started, event, protocol, outcome, status, null, null, address, subject, client, site,
          requestId, study, patient, instances, failed, detail);
    }
  }

  /** Routing-context key of how many instances a WADO-RS answer holds (set by the resource). */
  public static final String RETRIEVED_INSTANCES = "ponte.audit.instances";

  private static String first(RoutingContext context, String... names) {
    for (String name : names) {
      String v = context.request().getParam(name);
      if (v != null && !v.isBlank() && v.length() <= 64 && !v.contains("*") && !v.contains("?")) {
        return v;
      }
    }
    return null;
  }

  private static String detail(String cut, String badStudy) {
    if (badStudy == null) {
      return cut;
    }
    String bad = "not a study UID: " + badStudy.replaceAll("[^\\x20-\\x7e]", "?");
    return cut == null ? bad : cut + "; " + bad;
  }

  private static String claim(JsonWebToken jwt, String name) {
    Object v = jwt.getClaim(name);
    return v == null ? null : v.toString();
  }
}
