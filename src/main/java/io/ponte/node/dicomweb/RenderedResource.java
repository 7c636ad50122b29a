package io.ponte.node.dicomweb;

import io.ponte.dicomweb.RenderingParameters;
import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Rendered resources and thumbnails (PS3.18 10.4.1.1.3, 10.7) on the node, for the hub only: an
 * instance or one frame as image/jpeg or image/png with {@code window}, {@code viewport} and {@code
 * quality}; thumbnails of a study, series, instance or frame.
 */
@Path("/node/dicomweb")
@RolesAllowed(Roles.HUB)
public class RenderedResource {

  @Inject HubOnlyAccess access;

  @Inject RenderedService rendered;

  @Context HttpHeaders headers;

  @Context UriInfo uri;

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/rendered")
  public Response instance(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    access.require();
    return rendered.rendered(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        null,
        parameters(null));
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/rendered")
  public Response frame(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frame") String frame) {
    access.require();
    return rendered.rendered(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        oneFrame(frame),
        parameters(null));
  }

  @GET
  @Path("/studies/{study}/thumbnail")
  public Response studyThumbnail(@PathParam("study") String study) {
    access.require();
    return rendered.thumbnail(
        uid("StudyInstanceUID", study), null, null, null, parameters(RenderedService.THUMBNAIL));
  }

  @GET
  @Path("/studies/{study}/series/{series}/thumbnail")
  public Response seriesThumbnail(
      @PathParam("study") String study, @PathParam("series") String series) {
    access.require();
    return rendered.thumbnail(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        null,
        null,
        parameters(RenderedService.THUMBNAIL));
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/thumbnail")
  public Response instanceThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    access.require();
    return rendered.thumbnail(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        null,
        parameters(RenderedService.THUMBNAIL));
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/thumbnail")
  public Response frameThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frame") String frame) {
    access.require();
    return rendered.thumbnail(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        oneFrame(frame),
        parameters(RenderedService.THUMBNAIL));
  }

  private RenderingParameters parameters(RenderingParameters.Viewport defaultViewport) {
    return RenderingParameters.of(
        headers.getAcceptableMediaTypes(), uri.getQueryParameters(), defaultViewport);
  }

  /** A rendered frame is one picture: a list of frames has no single-image form. */
  private static int oneFrame(String frame) {
    return RenderingParameters.frameNumber(frame);
  }

  private static String uid(String what, String value) {
    return DicomwebUids.require(what, value);
  }
}
