package io.ponte.node.dicomweb;

import io.ponte.role.PonteConfig;
import io.ponte.security.Roles;
import io.ponte.text.Urls;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * WADO-RS (PS3.18 10.4) on the node, for the hub only: studies, series and instances as
 * multipart/related application/dicom (as stored: no transcoding), their metadata as DICOM JSON,
 * frames (native ones as Explicit VR Little Endian, encapsulated ones as stored) and the bulk data
 * the metadata's BulkDataURIs name. Content negotiation is done here so refusals are problem+json.
 */
@Path("/node/dicomweb")
@RolesAllowed(Roles.HUB)
public class WadoResource {

  @Inject HubOnlyAccess access;

  @Inject WadoService wado;

  @Inject PonteConfig ponte;

  @Context HttpHeaders headers;

  @GET
  @Path("/studies/{study}")
  public Response study(@PathParam("study") String study) {
    access.require();
    return wado.retrieve(
        uid("StudyInstanceUID", study), null, null, headers.getAcceptableMediaTypes());
  }

  @GET
  @Path("/studies/{study}/series/{series}")
  public Response series(@PathParam("study") String study, @PathParam("series") String series) {
    access.require();
    return wado.retrieve(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        null,
        headers.getAcceptableMediaTypes());
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}")
  public Response instance(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    access.require();
    return wado.retrieve(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        headers.getAcceptableMediaTypes());
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}")
  public Response frames(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("frames") String frames) {
    access.require();
    return wado.frames(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        frames,
        headers.getAcceptableMediaTypes());
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/bulkdata/{path: .+}")
  public Response bulkData(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop,
      @PathParam("path") String path) {
    access.require();
    return wado.bulkData(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop),
        path,
        headers.getAcceptableMediaTypes());
  }

  @GET
  @Path("/studies/{study}/metadata")
  public Response studyMetadata(@PathParam("study") String study) {
    access.require();
    return metadata(uid("StudyInstanceUID", study), null, null);
  }

  @GET
  @Path("/studies/{study}/series/{series}/metadata")
  public Response seriesMetadata(
      @PathParam("study") String study, @PathParam("series") String series) {
    access.require();
    return metadata(uid("StudyInstanceUID", study), uid("SeriesInstanceUID", series), null);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{sop}/metadata")
  public Response instanceMetadata(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("sop") String sop) {
    access.require();
    return metadata(
        uid("StudyInstanceUID", study),
        uid("SeriesInstanceUID", series),
        uid("SOPInstanceUID", sop));
  }

  private Response metadata(String study, String series, String sop) {
    WadoAccept.requireJson(headers.getAcceptableMediaTypes());
    StreamingOutput body =
        wado.metadata(study, series, sop, Urls.withoutTrailingSlash(ponte.publicUrl()));
    return Response.ok(body, QidoResource.DICOM_JSON).build();
  }

  private static String uid(String what, String value) {
    return DicomwebUids.require(what, value);
  }
}
