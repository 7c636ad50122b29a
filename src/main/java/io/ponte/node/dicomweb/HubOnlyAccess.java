package io.ponte.node.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.security.Caller;
import io.ponte.security.Scopes;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * A node's DICOMweb read side answers the hub and nobody else: the hub has already decided
 * (consent, identity, audit) that its caller may see the data. Beside the {@code hub} role (checked
 * by {@code @RolesAllowed}) the token must be the hub's own client and carry the system read scope.
 */
@RequestScoped
public class HubOnlyAccess {

  @Inject Caller caller;

  @Inject NodeDicomwebConfig config;

  public void require() {
    if (!config.hubClientId().equals(caller.clientId())) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "only the hub may read this node's images");
    }
    caller.requireScope(Scopes.SYSTEM_IMAGING_STUDY_READ);
  }
}
