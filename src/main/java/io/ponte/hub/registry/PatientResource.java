package io.ponte.hub.registry;

import io.ponte.fhir.FhirMediaTypes;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;

/**
 * FHIR {@code /fhir/Patient} at the hub: read, search (PDQm) and PIXm {@code $ihe-pix}
 * (clinicians).
 */
@Path("/hub/fhir/Patient")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class PatientResource {

  @Inject PatientReader patients;

  @Inject PatientCrossReferences crossReferences;

  /** IHE PIXm ITI-83 ({@link PatientCrossReferences}). */
  @GET
  @Path("$ihe-pix")
  public Parameters pix(
      @QueryParam("sourceIdentifier") List<String> sourceIdentifier,
      @QueryParam("targetSystem") List<String> targetSystem) {
    return crossReferences.pix(sourceIdentifier, targetSystem);
  }

  @GET
  public Response search(@Context UriInfo uri) {
    return Response.ok(patients.search(uri.getQueryParameters())).build();
  }

  @GET
  @Path("{id}")
  public Response read(@PathParam("id") String id) {
    Patient patient = patients.read(id);
    return Response.ok(patient)
        .tag(new EntityTag(patient.getMeta().getVersionId(), true))
        .lastModified(patient.getMeta().getLastUpdated())
        .build();
  }
}
