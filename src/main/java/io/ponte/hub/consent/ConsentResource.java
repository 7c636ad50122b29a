package io.ponte.hub.consent;

import io.ponte.fhir.FhirMediaTypes;
import io.ponte.hub.fhir.SearchBundles;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.hl7.fhir.r4.model.Consent;

/**
 * FHIR {@code /fhir/Consent} at the hub (IHE PCF Basic): create, read, search, and revoke (PUT with
 * status inactive). Roles are checked in the service so that every refusal is audited; errors are
 * OperationOutcome (the FHIR mappers cover every path under /fhir).
 */
@Path("/hub/fhir/Consent")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class ConsentResource {

  @Inject ConsentService consents;

  @Inject SearchBundles bundles;

  @POST
  @Consumes({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
  public Response create(String body) {
    Consent consent = consents.create(body);
    return answer(Response.status(Response.Status.CREATED), consent)
        .location(URI.create(bundles.fhirBase() + "/Consent/" + consent.getIdElement().getIdPart()))
        .build();
  }

  @GET
  public Response search(@Context UriInfo uri) {
    return Response.ok(consents.search(uri.getQueryParameters())).build();
  }

  @GET
  @Path("{id}")
  public Response read(@PathParam("id") String id) {
    return answer(Response.ok(), consents.read(id)).build();
  }

  @PUT
  @Path("{id}")
  @Consumes({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
  public Response update(@PathParam("id") String id, String body) {
    return answer(Response.ok(), consents.update(id, body)).build();
  }

  private static Response.ResponseBuilder answer(Response.ResponseBuilder r, Consent consent) {
    return r.entity(consent)
        .tag(new EntityTag(consent.getMeta().getVersionId(), true))
        .lastModified(consent.getMeta().getLastUpdated());
  }
}
