package io.ponte.hub.registry;

import io.ponte.fhir.FhirMediaTypes;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;

/** FHIR {@code /fhir/Endpoint}: per site, always the hub's own DICOMweb address. */
@Path("/hub/fhir/Endpoint")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class EndpointResource {

  static final Set<String> SUPPORTED = Set.of("_id", "organization", "_count", "_offset");

  @Inject DirectoryResources resources;
  @Inject SiteDirectory directory;

  @GET
  public Bundle search(@Context UriInfo uri) {
    return resources.search(
        "Endpoint",
        uri,
        SUPPORTED,
        directory::endpoints,
        (params, ep) ->
            DirectoryResources.anyMatches(
                    params, "_id", v -> v.equals(ep.getIdElement().getIdPart()))
                && DirectoryResources.anyMatches(
                    params,
                    "organization",
                    v ->
                        ep.getManagingOrganization()
                            .getReference()
                            .equals(v.startsWith("Organization/") ? v : "Organization/" + v)));
  }

  @GET
  @Path("{id}")
  public Endpoint read(@PathParam("id") String id) {
    return resources.read("Endpoint", id, directory::endpoint);
  }
}
