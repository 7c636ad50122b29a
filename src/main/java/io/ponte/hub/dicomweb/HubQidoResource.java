package io.ponte.hub.dicomweb;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * QIDO-RS at the hub (PS3.18 10.6), from the registry: what OHIF's DICOMweb data source asks for
 * (studies with includefield, the series of a study, the instances of a series). Roles are checked
 * in the service so every refusal is audited.
 */
@Path("/hub/dicomweb")
@Produces({"application/dicom+json", "application/json"})
public class HubQidoResource {

  static final String DICOM_JSON = "application/dicom+json";

  @Inject HubQidoService qido;

  @Context UriInfo uri;

  @GET
  @Path("/studies")
  public Response studies() {
    return answer(qido.studies(uri.getQueryParameters()));
  }

  @GET
  @Path("/series")
  public Response allSeries() {
    return answer(qido.acrossStudies(false, uri.getQueryParameters()));
  }

  @GET
  @Path("/instances")
  public Response allInstances() {
    return answer(qido.acrossStudies(true, uri.getQueryParameters()));
  }

  @GET
  @Path("/studies/{study}/series")
  public Response series(@PathParam("study") String study) {
    return answer(qido.seriesOrInstances(study, null, false, uri.getQueryParameters()));
  }

  @GET
  @Path("/studies/{study}/instances")
  public Response instancesOfStudy(@PathParam("study") String study) {
    return answer(qido.seriesOrInstances(study, null, true, uri.getQueryParameters()));
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances")
  public Response instancesOfSeries(
      @PathParam("study") String study, @PathParam("series") String series) {
    return answer(qido.seriesOrInstances(study, series, true, uri.getQueryParameters()));
  }

  private static Response answer(HubQidoService.Answer a) {
    Response.ResponseBuilder r = Response.ok(a.body(), DICOM_JSON);
    a.warnings().forEach(w -> r.header("Warning", w));
    return r.build();
  }
}
