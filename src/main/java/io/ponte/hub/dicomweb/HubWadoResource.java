package io.ponte.hub.dicomweb;

import io.ponte.hub.dicomweb.HubWadoService.Kind;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * WADO-RS at the hub (PS3.18 10.4), proxied to the study's owning node: instances
 * (multipart/related application/dicom), metadata (DICOM JSON with URLs rewritten to the hub) and
 * frames. Only the caller's Accept travels to the node.
 */
@Path("/hub/dicomweb")
public class HubWadoResource {

  @Inject HubWadoService wado;

  @Context HttpHeaders headers;

  @GET
  @Path("/studies/{study}")
  public Response study(@PathParam("study") String study) {
    return wado.retrieve(Kind.INSTANCES, study, "/studies/" + study, accept());
  }

  @GET
  @Path("/studies/{study}/series/{series}")
  public Response series(@PathParam("study") String study, @PathParam("series") String series) {
    return wado.retrieve(
        Kind.INSTANCES, study, "/studies/" + study + "/series/" + series, accept(), series);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}")
  public Response instance(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    return wado.retrieve(
        Kind.INSTANCES,
        study,
        "/studies/" + study + "/series/" + series + "/instances/" + sop,
        accept(),
        series,
        sop);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}")
  public Response frames(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frames") String frames) {
    if (!frames.matches("[0-9]{1,9}(,[0-9]{1,9}){0,9999}")) {
      throw HubQidoQuery.bad(
          "frame list must be comma-separated frame numbers: " + HubQidoQuery.shorten(frames));
    }
    return wado.retrieve(
        Kind.FRAMES,
        study,
        "/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/" + frames,
        accept(),
        series,
        sop);
  }

  @GET
  @Path("/studies/{study}/metadata")
  public Response studyMetadata(@PathParam("study") String study) {
    return wado.retrieve(Kind.METADATA, study, "/studies/" + study + "/metadata", accept());
  }

  @GET
  @Path("/studies/{study}/series/{series}/metadata")
  public Response seriesMetadata(
      @PathParam("study") String study, @PathParam("series") String series) {
    return wado.retrieve(
        Kind.METADATA,
        study,
        "/studies/" + study + "/series/" + series + "/metadata",
        accept(),
        series);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/metadata")
  public Response instanceMetadata(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    return wado.retrieve(
        Kind.METADATA,
        study,
        "/studies/" + study + "/series/" + series + "/instances/" + sop + "/metadata",
        accept(),
        series,
        sop);
  }

  private List<String> accept() {
    List<String> values = headers.getRequestHeader("Accept");
    return values == null ? List.of() : values;
  }
}
