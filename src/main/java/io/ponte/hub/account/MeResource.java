package io.ponte.hub.account;

import io.ponte.security.Caller;
import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/me} at the hub: who the signed-in person is, as Ponte sees them (for the web UI).
 */
@Path("/hub/api/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  @Inject Caller caller;

  public record Me(
      String username,
      Set<String> roles,
      String organization,
      String patientId,
      Set<String> scopes) {}

  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.PATIENT, Roles.AUTHORITY, Roles.ADMIN})
  public Me me() {
    return new Me(
        caller.username(),
        new TreeSet<>(caller.roles()),
        caller.organization().orElse(null),
        caller.patientId().orElse(null),
        new TreeSet<>(caller.scopes()));
  }
}
