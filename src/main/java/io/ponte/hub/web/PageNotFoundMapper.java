package io.ponte.hub.web;

import io.ponte.hub.fhir.FhirExceptionMappers;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A browser that opens an address the hub's pages do not have (a mistyped or outdated link) gets a
 * page in its language with a way back, not the APIs' problem+json. Only for the hub's page surface
 * and a request that asks for HTML: APIs, FHIR, DICOMweb and every node path keep their
 * machine-readable 404, handed on to the FHIR mapper (which hands non-FHIR paths to problem+json).
 */
public class PageNotFoundMapper {

  /** Before the FHIR mapper (Priorities.USER - 100), which would otherwise answer first. */
  static final int BEFORE_FHIR = Priorities.USER - 200;

  /** Internal prefixes (after RoleRouting) that are APIs, never pages. */
  private static final List<String> NOT_PAGES =
      List.of("/hub/fhir", "/hub/dicomweb", "/hub/api", "/hub/viewer", "/hub/q");

  @Inject PageContext page;

  private final FhirExceptionMappers others = new FhirExceptionMappers();

  @ServerExceptionMapper(priority = BEFORE_FHIR)
  public Response notFound(NotFoundException e, UriInfo uri, HttpHeaders headers) {
    String path = uri.getRequestUri().getRawPath();
    if (!isPage(path) || !asksForHtml(headers)) {
      return others.notFound(e, uri);
    }
    return Response.status(Response.Status.NOT_FOUND)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(WebPages.notFound(page, home(path)).render())
        .build();
  }

  static boolean isPage(String path) {
    if (!path.startsWith("/hub/")) {
      return false;
    }
    return NOT_PAGES.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"));
  }

  static boolean asksForHtml(HttpHeaders headers) {
    return headers.getAcceptableMediaTypes().stream()
        .anyMatch(t -> "text".equals(t.getType()) && "html".equals(t.getSubtype()));
  }

  /** The start page of the surface the address was under, so the way back stays in it. */
  static String home(String path) {
    if (path.startsWith("/hub/portal")) {
      return "/portal";
    }
    if (path.startsWith("/hub/authority")) {
      return "/authority";
    }
    return "/";
  }
}
