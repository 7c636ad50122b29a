package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
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
import org.hl7.fhir.r4.model.Organization;

/** FHIR {@code /fhir/Endpoint}: per site, always the hub's own DICOMweb address. */
@Path("/hub/fhir/Endpoint")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
@Authenticated
public class EndpointResource {

    static final Set<String> SUPPORTED = Set.of("_id", "organization", "_count", "_offset");

    @Inject
    RegistryAccess access;
    @Inject
    SiteDirectory directory;
    @Inject
    SearchBundles bundles;

    @GET
    public Bundle search(@Context UriInfo uri) {
        access.requireDirectoryReader();
        SearchParams params = SearchParams.of(uri.getQueryParameters(), SUPPORTED);
        return DirectoryResources.search(bundles, "Endpoint", params, directory.endpoints(),
                ep -> DirectoryResources.anyMatches(params, "_id", v -> v.equals(ep.getIdElement().getIdPart()))
                        && DirectoryResources.anyMatches(params, "organization", v -> ep.getManagingOrganization().getReference()
                                .equals(v.startsWith("Organization/") ? v : "Organization/" + v)));
    }

    @GET
    @Path("{id}")
    public Endpoint read(@PathParam("id") String id) {
        access.requireDirectoryReader();
        return directory.endpoint(id).orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "no Endpoint/" + id));
    }
}
