package io.ponte.node.ingest.stow;

import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.audit.DicomwebRequestAudit;
import io.ponte.node.storage.IngestSource;
import io.ponte.role.PonteConfig;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.stream.ReadStreamInputStream;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * STOW-RS on a node (PS3.18 10.5): {@code POST /dicomweb/studies[/{study}]} with {@code
 * multipart/related; type="application/dicom"}. Only the hospital's own ingest systems may store:
 * role {@code ingest} with this node's {@code site} claim. The body is read as a stream, part by
 * part, through a window of {@link StowConfig#bufferBytes()} between the HTTP event loop and the
 * storing worker.
 */
@Path("/node/dicomweb")
public class StowResource {

  @Inject Caller caller;

  @Inject PonteConfig ponte;

  @Inject StowService stow;

  @Inject StowConfig config;

  @Inject CurrentVertxRequest current;

  @Context HttpHeaders headers;

  @Context HttpServerRequest request;

  @POST
  @Path("/studies")
  @RolesAllowed(Roles.INGEST)
  public Response storeInstances() {
    return store(null);
  }

  @POST
  @Path("/studies/{study}")
  @RolesAllowed(Roles.INGEST)
  public Response storeStudyInstances(@PathParam("study") String study) {
    return store(study);
  }

  private Response store(String study) {
    // No body parameter: RESTEasy leaves the request paused and unread, and this stream takes it
    // over from
    // the start. Closed early (any refusal below), it lets the rest of the body flow in and be
    // dropped, so
    // the answer still reaches a client that is still sending, and the connection stays usable.
    try (ReadStreamInputStream body =
        new ReadStreamInputStream(
            request,
            request::resume,
            config.bufferBytes(),
            config.readTimeout().toMillis(),
            "the client")) {
      if (study != null && !UID.isValid(study)) {
        throw new ProblemException(
            ErrorCode.INVALID_UID, "the study in the path is not a valid DICOM UID");
      }
      String site =
          ponte
              .site()
              .orElseThrow(() -> new ProblemException(ErrorCode.INTERNAL, "node without a site"));
      if (!caller.site().map(site::equals).orElse(false)) {
        throw new ProblemException(
            ErrorCode.WRONG_SITE,
            "this node stores only for site " + site,
            Map.of("site", site),
            null);
      }
      String boundary = boundary(headers.getMediaType());
      boolean xml = wantsXml();
      String remote =
          request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
      IngestSource source =
          new IngestSource(IngestSource.Protocol.STOW_RS, caller.clientId(), remote);
      StowOutcome outcome = stow.store(body, boundary, study, source);
      if (current.getCurrent() != null) {
        // One audit record per study stored, written at the request's end (node.audit).
        current
            .getCurrent()
            .put(
                DicomwebRequestAudit.STOW_TALLY,
                new DicomwebRequestAudit.StowTally(
                    outcome.storedByStudy(), outcome.failed().size(), study));
      }
      return Response.status(outcome.httpStatus())
          .type(xml ? StowResponseWriter.DICOM_XML : StowResponseWriter.DICOM_JSON)
          .entity(xml ? StowResponseWriter.xml(outcome) : StowResponseWriter.json(outcome))
          .build();
    }
  }

  /** Only {@code multipart/related; type="application/dicom"} (Part 10 instances) is accepted. */
  static String boundary(MediaType type) {
    if (type == null
        || !"multipart".equalsIgnoreCase(type.getType())
        || !"related".equalsIgnoreCase(type.getSubtype())) {
      throw new ProblemException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "STOW-RS takes multipart/related; type=\"application/dicom\"");
    }
    String partType = type.getParameters().get("type");
    if (partType != null && !"application/dicom".equalsIgnoreCase(partType.trim())) {
      throw new ProblemException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "this node stores application/dicom parts only, not " + partType);
    }
    String boundary = type.getParameters().get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "multipart/related needs a boundary of 1 to 70 characters");
    }
    return boundary;
  }

  /**
   * application/dicom+json unless the client asks for application/dicom+xml (and not for JSON
   * first).
   */
  private boolean wantsXml() {
    for (MediaType accepted : headers.getAcceptableMediaTypes()) {
      String t = accepted.getType() + "/" + accepted.getSubtype();
      switch (t.toLowerCase(java.util.Locale.ROOT)) {
        case "application/dicom+json", "application/json", "*/*", "application/*":
          return false;
        case "application/dicom+xml":
          return true;
        default:
          break;
      }
    }
    throw new ProblemException(
        ErrorCode.NOT_ACCEPTABLE,
        "STOW-RS answers application/dicom+json or application/dicom+xml");
  }
}
