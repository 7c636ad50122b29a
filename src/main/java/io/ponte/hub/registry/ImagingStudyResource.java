package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.FhirMediaTypes;
import io.ponte.fhir.IdentifierSystems;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * FHIR {@code /fhir/ImagingStudy} at the hub: read, search, and a node's conditional update
 * (publish).
 */
@Path("/hub/fhir/ImagingStudy")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class ImagingStudyResource {

  @Inject ImagingStudyReader reader;

  @Inject ImagingStudyPublisher publisher;

  @Inject SiteDirectory directory;

  @Inject ImagingStudyWithdrawal withdrawal;

  @GET
  public Response search(@Context UriInfo uri) {
    return Response.ok(reader.search(uri.getQueryParameters())).build();
  }

  @GET
  @Path("{id}")
  public Response read(@PathParam("id") String id) {
    ImagingStudy study = reader.read(id);
    return Response.ok(study)
        .tag(etag(study))
        .lastModified(study.getMeta().getLastUpdated())
        .build();
  }

  /**
   * {@code PUT /fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:<uid>}: create or update,
   * idempotent.
   */
  @PUT
  @Consumes({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
  public Response conditionalUpdate(@Context UriInfo uri, String body) {
    return answer(
        publisher.publish(
            Optional.of(conditionalUid(uri.getQueryParameters())), Optional.empty(), body));
  }

  @PUT
  @Path("{id}")
  @Consumes({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
  public Response update(@PathParam("id") String id, String body) {
    return answer(publisher.publish(Optional.empty(), Optional.of(id), body));
  }

  /**
   * {@code DELETE /fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:<uid>}: a node withdraws a
   * study it deleted. 204 also when the registry no longer has it (a re-sent withdrawal).
   */
  @DELETE
  public Response conditionalDelete(@Context UriInfo uri) {
    withdrawal.withdraw(conditionalUid(uri.getQueryParameters()));
    return Response.noContent().build();
  }

  private Response answer(ImagingStudyPublisher.Published published) {
    ImagingStudy study = published.study();
    String id = study.getIdElement().getIdPart();
    URI location =
        URI.create(
            directory.fhirBase()
                + "/ImagingStudy/"
                + id
                + "/_history/"
                + study.getMeta().getVersionId());
    return Response.status(published.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(study)
        .location(location)
        .tag(etag(study))
        .lastModified(study.getMeta().getLastUpdated())
        .build();
  }

  private static EntityTag etag(ImagingStudy study) {
    return new EntityTag(study.getMeta().getVersionId(), true);
  }

  /** The conditional update's one criterion: identifier=urn:dicom:uid|urn:oid:<uid>. */
  private static String conditionalUid(MultivaluedMap<String, String> query) {
    List<String> identifiers = query.get("identifier");
    if (query.size() != 1 || identifiers == null || identifiers.size() != 1) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "conditional update takes exactly one criterion: identifier=urn:dicom:uid|urn:oid:<StudyInstanceUID>");
    }
    String value = identifiers.get(0);
    String prefix = IdentifierSystems.DICOM_UID + "|";
    if (!value.startsWith(prefix)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "the criterion must be identifier=urn:dicom:uid|urn:oid:<uid>");
    }
    return ImagingStudyRules.uidOf(value.substring(prefix.length()))
        .orElseThrow(
            () ->
                new ProblemException(
                    ErrorCode.INVALID_UID,
                    "'" + value.substring(prefix.length()) + "' is not urn:oid:<DICOM UID>"));
  }
}
