package io.ponte.hub.registry;

import io.ponte.fhir.FhirMediaTypes;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hl7.fhir.r4.model.Patient;

/** FHIR {@code /fhir/Patient} at the hub: read and search by identifier (clinicians). */
@Path("/hub/fhir/Patient")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class PatientResource {

  @Inject PatientReader patients;

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
