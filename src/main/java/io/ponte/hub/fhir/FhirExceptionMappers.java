package io.ponte.hub.fhir;

import io.ponte.error.DatabaseOutage;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.error.ProblemMappers;
import io.ponte.fhir.FhirMediaTypes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Everything under the hub's {@code /fhir} answers errors as OperationOutcome, 401 and unknown
 * paths included. These mappers outrank the problem+json ones (lower priority number) and hand
 * every non-FHIR request back to {@link ProblemMappers}, so the rest of the API keeps its
 * problem+json answers.
 */
public class FhirExceptionMappers {

  /** Internal path of the hub's FHIR API; public {@code /fhir} is routed here by RoleRouting. */
  public static final String FHIR_PATH = "/hub/fhir";

  private static final int BEFORE_PROBLEM_JSON = Priorities.USER - 100;
  private static final Logger LOG = Logger.getLogger(FhirExceptionMappers.class);

  private final ProblemMappers problems = new ProblemMappers();

  static boolean isFhir(UriInfo uri) {
    String path = uri.getRequestUri().getRawPath();
    return path.equals(FHIR_PATH) || path.startsWith(FHIR_PATH + "/");
  }

  public static Response outcome(ErrorCode code, int status, String detail) {
    return Response.status(status)
        .type(FhirMediaTypes.FHIR_JSON_TYPE)
        .entity(OperationOutcomes.of(code, detail))
        .build();
  }

  @ServerExceptionMapper(priority = BEFORE_PROBLEM_JSON)
  public Response problem(ProblemException e, UriInfo uri) {
    if (!isFhir(uri)) {
      return problems.problem(e);
    }
    return outcome(e.code(), e.code().status(), e.getMessage());
  }

  @ServerExceptionMapper(
      value = {UnauthorizedException.class, AuthenticationFailedException.class},
      priority = BEFORE_PROBLEM_JSON)
  public Response unauthenticated(UriInfo uri) {
    if (!isFhir(uri)) {
      return problems.unauthenticated();
    }
    return Response.fromResponse(
            outcome(
                ErrorCode.UNAUTHENTICATED,
                401,
                "a valid bearer token from the ponte realm is required"))
        .header("WWW-Authenticate", "Bearer realm=\"ponte\"")
        .build();
  }

  @ServerExceptionMapper(priority = BEFORE_PROBLEM_JSON)
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    if (!isFhir(uri)) {
      return problems.forbidden(e);
    }
    return outcome(ErrorCode.FORBIDDEN, 403, "your role does not allow this request");
  }

  @ServerExceptionMapper(priority = BEFORE_PROBLEM_JSON)
  public Response notFound(NotFoundException e, UriInfo uri) {
    if (!isFhir(uri)) {
      return problems.notFound(e);
    }
    return outcome(
        ErrorCode.NOT_FOUND,
        404,
        "no such FHIR resource or interaction on this server; see /fhir/metadata");
  }

  @ServerExceptionMapper(priority = BEFORE_PROBLEM_JSON)
  public Response unexpected(RuntimeException e, UriInfo uri) {
    if (!isFhir(uri)) {
      return problems.unexpected(e);
    }
    if (e instanceof WebApplicationException wae) {
      int status = wae.getResponse().getStatus();
      ErrorCode code = ErrorCode.forStatus(status);
      String detail =
          switch (status) {
            case 405 -> "this interaction is not supported on this resource; see /fhir/metadata";
            case 406 -> "only FHIR JSON (application/fhir+json, application/json) is offered";
            case 415 -> "send FHIR JSON (application/fhir+json or application/json)";
            default -> code.title();
          };
      return outcome(code, status, detail);
    }
    if (DatabaseOutage.isCause(e)) {
      LOG.warnf("database unavailable: %s", e.getMessage());
      return Response.fromResponse(
              outcome(
                  ErrorCode.STORAGE_UNAVAILABLE,
                  503,
                  "the database is unavailable; retry in a few seconds"))
          .header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS)
          .build();
    }
    LOG.error("unexpected failure in the FHIR API", e);
    return outcome(ErrorCode.INTERNAL, 500, "an unexpected error occurred; it has been logged");
  }
}
