package io.ponte.hub.web;

import io.ponte.error.ErrorCode;
import io.ponte.error.Problem;
import io.ponte.error.ProblemException;
import io.ponte.hub.fhir.FhirExceptionMappers;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A service's refusal raised inside a page handler (a patient whose consent was revoked while her
 * timeline was open, a grant that ended, a database or audit trail down) reaches a browser as a
 * page in its language with the same status, not the APIs' English problem+json: consent withheld
 * says so with the emergency access link, not found is the not-found page, 503 says try again.
 * Other refusals, and every API, FHIR or DICOMweb path, keep their machine-readable answer.
 */
public class PageProblemMapper {

  /** A patient's timeline (internal path after RoleRouting): the person the refusal is about. */
  private static final Pattern TIMELINE = Pattern.compile("^/hub/clinician/patients/([^/]+)$");

  @Inject PageContext page;

  private final FhirExceptionMappers others = new FhirExceptionMappers();

  @ServerExceptionMapper(priority = PageNotFoundMapper.BEFORE_FHIR)
  public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
    String path = uri.getRequestUri().getRawPath();
    TemplateInstance shown = null;
    if (PageNotFoundMapper.isPage(path) && PageNotFoundMapper.asksForHtml(headers)) {
      shown = page(e.code(), path);
    }
    if (shown == null) {
      return others.problem(e, uri);
    }
    Response.ResponseBuilder answer =
        Response.status(e.code().status())
            .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
            .entity(shown.render());
    Object retryAfter = e.extensions().get(Problem.RETRY_AFTER);
    return retryAfter == null ? answer.build() : answer.header("Retry-After", retryAfter).build();
  }

  /** The page for {@code code} at {@code path}; null where the refusal has no page of its own. */
  private TemplateInstance page(ErrorCode code, String path) {
    if (code == ErrorCode.CONSENT_DENIED) {
      Matcher timeline = TIMELINE.matcher(path);
      String emergency =
          timeline.matches()
              ? EmergencyAccessLink.form(
                  "Patient/" + URLDecoder.decode(timeline.group(1), StandardCharsets.UTF_8))
              : null;
      return WebPages.withheld(page, emergency, PageNotFoundMapper.home(path));
    }
    if (code.status() == 404) {
      return WebPages.notFound(page, PageNotFoundMapper.home(path));
    }
    if (code.status() == 503) {
      return WebPages.unavailable(page, PageNotFoundMapper.home(path));
    }
    return null;
  }
}
