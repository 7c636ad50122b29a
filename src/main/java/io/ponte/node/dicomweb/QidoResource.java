package io.ponte.node.dicomweb;

import io.ponte.node.index.QidoLevel;
import io.ponte.node.index.QidoQuery;
import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * QIDO-RS (PS3.18 10.6) on the node, for the hub only. Results are application/dicom+json,
 * streamed; no match is 200 with an empty array (PS3.18 as amended by CP-2473, not 204).
 */
@Path("/node/dicomweb")
@RolesAllowed(Roles.HUB)
@Produces({QidoResource.DICOM_JSON, "application/json"})
public class QidoResource {

  public static final String DICOM_JSON = "application/dicom+json";

  @Inject HubOnlyAccess access;

  @Inject QidoService qido;

  @Inject NodeDicomwebConfig config;

  @Context UriInfo uri;

  @GET
  @Path("/studies")
  public Response studies() {
    access.require();
    return search(QidoLevel.STUDY, null, null);
  }

  @GET
  @Path("/series")
  public Response allSeries() {
    access.require();
    return search(QidoLevel.SERIES, null, null);
  }

  @GET
  @Path("/instances")
  public Response allInstances() {
    access.require();
    return search(QidoLevel.INSTANCE, null, null);
  }

  @GET
  @Path("/studies/{study}/series")
  public Response seriesOfStudy(@PathParam("study") String study) {
    access.require();
    return search(QidoLevel.SERIES, DicomwebUids.require("StudyInstanceUID", study), null);
  }

  @GET
  @Path("/studies/{study}/instances")
  public Response instancesOfStudy(@PathParam("study") String study) {
    access.require();
    return search(QidoLevel.INSTANCE, DicomwebUids.require("StudyInstanceUID", study), null);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances")
  public Response instancesOfSeries(
      @PathParam("study") String study, @PathParam("series") String series) {
    access.require();
    return search(
        QidoLevel.INSTANCE,
        DicomwebUids.require("StudyInstanceUID", study),
        DicomwebUids.require("SeriesInstanceUID", series));
  }

  private Response search(QidoLevel level, String study, String series) {
    QidoQuery query =
        new QidoQueryParser(config.defaultLimit(), config.maxLimit())
            .parse(level, study, series, uri.getQueryParameters());
    Response.ResponseBuilder r = Response.ok(qido.search(query), DICOM_JSON);
    query.warnings().forEach(w -> r.header("Warning", w));
    return r.build();
  }
}
