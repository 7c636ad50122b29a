package io.ponte.request;

import io.ponte.error.ErrorCode;
import io.ponte.error.ErrorDetails;
import io.ponte.error.ProblemException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, once and for every resource of both roles, a request no resource can answer sensibly: a
 * control character (NUL, CR, TAB, ... DEL) in the path or a query parameter, or an Accept header
 * that does not parse. Without it a NUL reached PostgreSQL (which refuses 0x00 in text: 500 on a
 * search, and a failed audit batch, 503, for every request in the same group commit) and a
 * malformed Accept failed content negotiation (500). Here they are 400 with the usual body:
 * OperationOutcome under /fhir, problem+json elsewhere (the exception mappers choose).
 *
 * <p>Runs after {@code RoleRouting} (pre-matching, higher priority number), before authentication:
 * the request never reaches an access, so, like a 401, it is logged (WARN, quoted) and not audited.
 */
public class RequestSyntax {

  private static final Logger LOG = Logger.getLogger(RequestSyntax.class);

  @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
  public void check(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    String where = controlCharacterIn(path) ? "the path" : parameterWithControl(query);
    if (where != null) {
      refuse(request, where + " contains a control character (such as NUL)");
    }
    try {
      request.getAcceptableMediaTypes();
    } catch (RuntimeException e) {
      refuse(
          request,
          "the Accept header "
              + ErrorDetails.quote(request.getHeaderString("Accept"))
              + " is not a list of media types");
    }
  }

  private static void refuse(ContainerRequestContext request, String detail) {
    LOG.warnf(
        "refused a malformed request: %s %s: %s",
        request.getMethod(),
        ErrorDetails.quote(request.getUriInfo().getRequestUri().getRawPath()),
        detail);
    throw new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }

  /** "query parameter 'x'" for the first parameter whose name or value holds one, else null. */
  static String parameterWithControl(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      if (controlCharacterIn(pair)) {
        int eq = pair.indexOf('=');
        return "query parameter '"
            + ErrorDetails.quote(eq < 0 ? pair : pair.substring(0, eq))
            + "'";
      }
    }
    return null;
  }

  /**
   * Whether raw (percent-encoded) text carries a C0 control or DEL, literally or as %00-%1F / %7F.
   * In UTF-8 these bytes never occur inside a multi-byte character, so no decoding is needed.
   */
  static boolean controlCharacterIn(String raw) {
    if (raw == null) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
      if (c == '%' && i + 2 < raw.length()) {
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0 && (hi < 2 || (hi == 7 && lo == 0xf))) {
          return true;
        }
      }
    }
    return false;
  }
}
