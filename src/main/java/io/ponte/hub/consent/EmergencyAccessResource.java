package io.ponte.hub.consent;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * {@code /api/emergency-access} at the hub: a clinician opens a grant, lists their grants (the
 * authority sees all), ends one early. Errors are problem+json; roles are checked in the service so
 * every refusal is audited.
 */
@Path("/hub/api/emergency-access")
@Produces(MediaType.APPLICATION_JSON)
public class EmergencyAccessResource {

  @Inject EmergencyAccessService emergency;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response grant(EmergencyAccessRequest request) {
    EmergencyGrant grant = emergency.grant(request);
    return Response.created(URI.create("/api/emergency-access/" + grant.id()))
        .entity(grant)
        .build();
  }

  @GET
  public List<EmergencyGrant> list(@QueryParam("active") boolean active) {
    return emergency.list(active);
  }

  @DELETE
  @Path("{id}")
  public EmergencyGrant end(@PathParam("id") String id) {
    return emergency.end(id);
  }
}
