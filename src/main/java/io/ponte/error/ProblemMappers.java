package io.ponte.error;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps failures to problem+json from one place. FHIR endpoints answer OperationOutcome instead
 * (their own mapper in the FHIR layer takes precedence for their resources).
 */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Response r = Problem.of(e.code(), e.getMessage(), e.extensions()).toResponse();
    // A "retry later" refusal (e.g. ponte:being-restored) says when in the standard header too.
    Object retryAfter = e.extensions().get(Problem.RETRY_AFTER);
    return retryAfter == null
        ? r
        : Response.fromResponse(r).header("Retry-After", retryAfter).build();
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthenticated() {
    return Response.fromResponse(
            Problem.of(
                    ErrorCode.UNAUTHENTICATED,
                    "a valid bearer token from the ponte realm is required",
                    Map.of())
                .toResponse())
        .header("WWW-Authenticate", "Bearer realm=\"ponte\"")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return Problem.of(ErrorCode.FORBIDDEN, "your role does not allow this request", Map.of())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return Problem.of(ErrorCode.NOT_FOUND, "no such resource", Map.of()).toResponse();
  }

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
  public Response unexpected(RuntimeException e) {
    if (e instanceof jakarta.ws.rs.WebApplicationException wae) {
      int status = wae.getResponse().getStatus();
      ErrorCode code = ErrorCode.forStatus(status);
      return new Problem(null, code.title(), status, wae.getMessage(), code.code(), Map.of())
          .toResponse();
    }
    if (DatabaseOutage.isCause(e)) {
      // Down or restarting: the caller may retry; no stack trace per request in the log.
      LOG.warnf("database unavailable: %s", e.getMessage());
      return Response.fromResponse(DatabaseOutage.problem().toResponse())
          .header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS)
          .build();
    }
    LOG.error("unexpected failure", e);
    return Problem.of(
            ErrorCode.INTERNAL, "an unexpected error occurred; it has been logged", Map.of())
        .toResponse();
  }
}
