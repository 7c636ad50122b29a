package io.ponte.hub.dimse;

import io.ponte.security.Caller;
import io.ponte.security.IdentityContext;
import io.ponte.security.Roles;
import io.ponte.security.Scopes;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.concurrent.Callable;
import org.jose4j.jwt.JwtClaims;

/**
 * Runs a DIMSE operation as the clinic its calling AE title is mapped to: a request context with a
 * security identity that reads, to {@link io.ponte.security.Caller} and the audit, like a
 * clinician's token of that organisation (role clinician, scopes to read studies and patients,
 * claim {@code organization}), named {@code dimse:<AE title>}, with the association's peer address
 * for the audit. So QIDO, WADO, consent and audit decide for DIMSE exactly as for DICOMweb, through
 * the same services. The identity exists only in memory, for this operation; nothing here is a
 * token anyone could present over HTTP.
 */
final class DimseIdentity {

  /** The client id the audit shows for DIMSE callers (there is no Keycloak client behind it). */
  static final String CLIENT = "ponte-dimse";

  private final SecurityIdentity identity;

  DimseIdentity(String callingAeTitle, String organisation, String remoteAddress) {
    JwtClaims claims = new JwtClaims();
    String name = "dimse:" + callingAeTitle;
    claims.setSubject(name);
    claims.setClaim("preferred_username", name);
    claims.setClaim("azp", CLIENT);
    claims.setClaim("organization", organisation);
    claims.setClaim("scope", Scopes.USER_IMAGING_STUDY_READ + " " + Scopes.USER_PATIENT_READ);
    OidcJwtCallerPrincipal principal =
        new OidcJwtCallerPrincipal(claims, new AccessTokenCredential(name));
    this.identity =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(principal)
            .addRole(Roles.CLINICIAN)
            // The audit's network address: no HTTP request carries it on this path.
            .addAttribute(Caller.REMOTE_ADDRESS, remoteAddress)
            .build();
  }

  /** Calls {@code work} in a fresh request context whose identity is this caller's. */
  <T> T call(Callable<T> work) throws Exception {
    return IdentityContext.call(identity, work);
  }
}
