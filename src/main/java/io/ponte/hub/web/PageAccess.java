package io.ponte.hub.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Role gate of a page surface: portal = patient, clinician pages = clinician, authority =
 * authority. The pages' paths already require a signed-in person (HTTP permission {@code pages});
 * someone of another role gets the friendly 403 page, not a problem document.
 */
@RequestScoped
public class PageAccess {

  @Inject SecurityIdentity identity;

  public void require(String role) {
    if (!identity.hasRole(role)) {
      throw new WrongRoleException(role);
    }
  }

  /** A signed-in person without the role a page surface needs. */
  public static final class WrongRoleException extends RuntimeException {
    WrongRoleException(String role) {
      super("this page needs the role " + role, null, false, false);
    }
  }
}
