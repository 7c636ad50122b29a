package io.ponte.security;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from the verified Keycloak token: roles, SMART scopes, and the claims Ponte
 * authorises on ({@code organization} of a user, {@code patient_id} of a patient, {@code site} of a
 * node).
 */
@RequestScoped
public class Caller {

  @Inject SecurityIdentity identity;

  @Inject JsonWebToken token;

  /**
   * Security identity attribute holding the caller's network address where no HTTP request does (a
   * DIMSE association's peer).
   */
  public static final String REMOTE_ADDRESS = "ponte.remote-address";

  /** The caller's network address from its identity (a DIMSE peer's); empty over HTTP. */
  public Optional<String> remoteAddress() {
    Object address = identity.getAttribute(REMOTE_ADDRESS);
    return address == null ? Optional.empty() : Optional.of(address.toString());
  }

  public boolean isAnonymous() {
    return identity.isAnonymous();
  }

  /** Subject and username for audit: who acted. */
  public String subject() {
    return token.getSubject();
  }

  public String username() {
    String name = token.getClaim("preferred_username");
    return name != null ? name : token.getClaim("azp");
  }

  /** The person's name as their token carries it, for pages and audit; empty for a client. */
  public Optional<String> displayName() {
    return nameIn(token);
  }

  /**
   * The OIDC {@code name} claim, else {@code given_name} and {@code family_name} joined: what a
   * page shows instead of a username. Empty when the token has neither (a service account).
   */
  public static Optional<String> nameIn(JsonWebToken token) {
    String name = text(token.getClaim("name"));
    if (name != null) {
      return Optional.of(capped(name));
    }
    String given = text(token.getClaim("given_name"));
    String family = text(token.getClaim("family_name"));
    if (given == null && family == null) {
      return Optional.empty();
    }
    return Optional.of(
        capped(given == null ? family : family == null ? given : given + " " + family));
  }

  /** The longest name kept: the columns that record it (audit, emergency grants, reviews). */
  public static final int MAX_NAME = 255;

  /**
   * {@code name} cut to {@link #MAX_NAME} characters, never inside a surrogate pair. Keycloak's
   * name is first + last name, up to 255 each: a longer one failed the insert of an emergency grant
   * or an identity decision (500) instead of being recorded.
   */
  static String capped(String name) {
    if (name.length() <= MAX_NAME) {
      return name;
    }
    int end = Character.isHighSurrogate(name.charAt(MAX_NAME - 1)) ? MAX_NAME - 1 : MAX_NAME;
    return name.substring(0, end);
  }

  private static String text(Object claim) {
    if (claim == null) {
      return null;
    }
    String value = claim.toString().strip();
    return value.isEmpty() ? null : value;
  }

  /** The client the token was issued to. */
  public String clientId() {
    return token.getClaim("azp");
  }

  public boolean hasRole(String role) {
    return identity.hasRole(role);
  }

  public Set<String> roles() {
    return identity.getRoles();
  }

  public Set<String> scopes() {
    String scope = token.getClaim("scope");
    if (scope == null || scope.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
  }

  public boolean hasScope(String scope) {
    return scopes().contains(scope);
  }

  /** 403 with a stable code unless the token carries {@code scope}. */
  public void requireScope(String scope) {
    if (!hasScope(scope)) {
      throw new ProblemException(ErrorCode.SCOPE_MISSING, "the token lacks the scope " + scope);
    }
  }

  public Optional<String> organization() {
    return claim("organization");
  }

  public Optional<String> patientId() {
    return claim("patient_id");
  }

  /**
   * The patient's regional id; 403 when a patient's token carries none (a realm misconfiguration).
   */
  public String requirePatientId() {
    return patientId()
        .orElseThrow(
            () ->
                new ProblemException(
                    ErrorCode.FORBIDDEN, "the patient token carries no patient_id"));
  }

  /**
   * A node's (or ingest client's) site, from the hard-coded {@code site} claim of its Keycloak
   * client.
   */
  public Optional<String> site() {
    return claim("site");
  }

  private Optional<String> claim(String name) {
    Object value = token.getClaim(name);
    return value == null || value.toString().isBlank()
        ? Optional.empty()
        : Optional.of(value.toString());
  }
}
