package io.ponte.hub.dicomweb;

import io.ponte.dicomweb.BulkDataPaths;
import io.ponte.dicomweb.RenderingParameters;
import io.ponte.hub.dicomweb.HubWadoService.Kind;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * WADO-RS at the hub (PS3.18 10.4), proxied to the study's owning node: instances
 * (multipart/related application/dicom), metadata (DICOM JSON with URLs rewritten to the hub),
 * frames, bulk data (the metadata's BulkDataURIs), rendered images and thumbnails (10.7). Only the
 * caller's Accept travels to the node.
 */
@Path("/hub/dicomweb")
public class HubWadoResource {

  @Inject HubWadoService wado;

  @Context HttpHeaders headers;

  @Context UriInfo uri;

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
  @Path("/studies/{study}/series/{series}/instances/{sop}/bulkdata/{path: .+}")
  public Response bulkData(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("path") String path) {
    // Checked here so only a well-formed path (hex tags, item numbers) reaches the node's URL.
    if (!BulkDataPaths.isWellFormed(path)) {
      throw HubQidoQuery.bad(
          "bulk data path must be a tag (8 hex digits), or sequence tag/item index/.../tag: "
              + HubQidoQuery.shorten(path));
    }
    return wado.retrieve(
        Kind.BULKDATA,
        study,
        instancePath(study, series, sop) + "/bulkdata/" + path,
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

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/rendered")
  public Response rendered(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    return picture(study, instancePath(study, series, sop) + "/rendered", series, sop);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/rendered")
  public Response renderedFrame(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frame") String frame) {
    int n = RenderingParameters.frameNumber(frame);
    return picture(
        study, instancePath(study, series, sop) + "/frames/" + n + "/rendered", series, sop);
  }

  @GET
  @Path("/studies/{study}/thumbnail")
  public Response studyThumbnail(@PathParam("study") String study) {
    return picture(study, "/studies/" + study + "/thumbnail");
  }

  @GET
  @Path("/studies/{study}/series/{series}/thumbnail")
  public Response seriesThumbnail(
      @PathParam("study") String study, @PathParam("series") String series) {
    return picture(study, "/studies/" + study + "/series/" + series + "/thumbnail", series);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/thumbnail")
  public Response instanceThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    return picture(study, instancePath(study, series, sop) + "/thumbnail", series, sop);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/thumbnail")
  public Response frameThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frame") String frame) {
    int n = RenderingParameters.frameNumber(frame);
    return picture(
        study, instancePath(study, series, sop) + "/frames/" + n + "/thumbnail", series, sop);
  }

  /**
   * A rendered image or thumbnail: parameters checked here and forwarded in canonical form (never
   * the caller's raw query), the chosen media type as the only Accept.
   */
  private Response picture(String study, String nodePath, String... otherUids) {
    RenderingParameters p =
        RenderingParameters.of(headers.getAcceptableMediaTypes(), uri.getQueryParameters(), null);
    return wado.retrieve(
        Kind.RENDERED, study, nodePath + p.query(), List.of(p.mediaType()), otherUids);
  }

  private static String instancePath(String study, String series, String sop) {
    return "/studies/" + study + "/series/" + series + "/instances/" + sop;
  }

  private List<String> accept() {
    List<String> values = headers.getRequestHeader("Accept");
    return values == null ? List.of() : values;
  }
}
