package io.ponte.hub.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /api/identity/links/{regionalId}} at the hub: an admin states which local identifiers are
 * one person. Answers problem+json on errors (it is not a FHIR endpoint). Role checks are in the
 * service, so denials are audited.
 */
@Path("/hub/api/identity/links/{regionalId}")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityLinkResource {

  @Inject IdentityService identity;

  /**
   * Body: {@code [{"system": "urn:ponte:site:hospital-a:mrn", "value": "MRN-1"}, ...]}; replaces
   * the links.
   */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public LinkSet replace(
      @PathParam("regionalId") String regionalId, List<LocalIdentifier> identifiers) {
    return identity.replaceLinks(regionalId, identifiers);
  }

  @GET
  public LinkSet get(@PathParam("regionalId") String regionalId) {
    return identity.links(regionalId);
  }
}
