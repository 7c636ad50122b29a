package io.ponte.hub.registry;

import io.ponte.fhir.FhirMediaTypes;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.fhir.SearchParams;
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
import org.hl7.fhir.r4.model.Organization;

/** FHIR {@code /fhir/Organization}: one per federated site; every Ponte role may read them. */
@Path("/hub/fhir/Organization")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class OrganizationResource {

  static final Set<String> SUPPORTED = Set.of("_id", "identifier", "_count", "_offset");

  @Inject DirectoryResources resources;
  @Inject SiteDirectory directory;

  @GET
  public Bundle search(@Context UriInfo uri) {
    return resources.search(
        "Organization",
        uri,
        SUPPORTED,
        directory::organizations,
        (params, org) ->
            DirectoryResources.anyMatches(
                    params, "_id", v -> v.equals(org.getIdElement().getIdPart()))
                && DirectoryResources.anyMatches(
                    params,
                    "identifier",
                    v -> {
                      SearchParams.Token t = SearchParams.Token.parse(v);
                      return (t.anySystem() || IdentifierSystems.SITE.equals(t.system()))
                          && t.code().equals(org.getIdElement().getIdPart());
                    }));
  }

  @GET
  @Path("{id}")
  public Organization read(@PathParam("id") String id) {
    return resources.read("Organization", id, directory::organization);
  }
}
