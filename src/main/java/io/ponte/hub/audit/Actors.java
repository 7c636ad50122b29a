package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.request.RequestIds;
import io.ponte.security.Caller;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the current request's actor: token identity, stated purpose of use, client address. */
@ApplicationScoped
public class Actors {

  /**
   * Header and query parameter a caller states its purpose of use with; {@value #DEFAULT_PURPOSE}
   * when absent.
   */
  public static final String PURPOSE_HEADER = "X-Purpose-Of-Use";

  public static final String PURPOSE_PARAM = "purpose-of-use";
  public static final String DEFAULT_PURPOSE = "treatment";

  /**
   * Purposes Ponte records (HL7 v3 PurposeOfUse, in words); emergency access rules come with
   * consent.
   */
  public static final Set<String> PURPOSES =
      Set.of("treatment", "emergency", "patient-request", "operations", "public-health", "audit");

  @Inject Caller caller;

  @Inject CurrentVertxRequest request;

  @Inject JsonWebToken token;

  public Actor current() {
    RoutingContext context = request.getCurrent();
    String address = null;
    String purpose = null;
    String requestId = RequestIds.of(context);
    if (context != null) {
      address =
          context.request().remoteAddress() == null
              ? null
              : context.request().remoteAddress().hostAddress();
      purpose = context.request().getHeader(PURPOSE_HEADER);
      if (purpose == null) {
        purpose = context.request().getParam(PURPOSE_PARAM);
      }
    }
    if (address == null) {
      address = caller.remoteAddress().orElse(null);
    }
    if (purpose == null || purpose.isBlank()) {
      purpose = DEFAULT_PURPOSE;
    }
    purpose = purpose.trim().toLowerCase(Locale.ROOT);
    if (!PURPOSES.contains(purpose)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "unknown purpose of use; one of " + PURPOSES.stream().sorted().toList());
    }
    if (caller.isAnonymous()) {
      return new Actor(
          null, null, null, null, null, List.of(), null, null, purpose, address, requestId, null,
          null);
    }
    return new Actor(
        caller.subject(),
        caller.username(),
        caller.displayName().orElse(null),
        caller.clientId(),
        caller.organization().orElse(null),
        caller.roles().stream().sorted().toList(),
        caller.site().orElse(null),
        caller.patientId().orElse(null),
        purpose,
        address,
        requestId,
        claim("jti"),
        token.getIssuer());
  }

  private String claim(String name) {
    Object value = token.getClaim(name);
    return value == null ? null : value.toString();
  }
}
