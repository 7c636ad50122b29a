package io.ponte.hub.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The public parts of the page stack, shared by every surface: the language switch and the page
 * Keycloak returns to after sign-out. Sign-out itself ({@code /web/sign-out}) is Quarkus OIDC's.
 */
@Path("/hub/web")
public class WebPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance signedOut();

    static native TemplateInstance forbidden();

    static native TemplateInstance notFound(String home);

    static native TemplateInstance withheld(String emergencyHref, String home);

    static native TemplateInstance unavailable(String home);
  }

  @Inject PageContext page;

  /**
   * {@code GET /web/locale?lang=en&next=/portal}: remembers the choice for a year and goes back. A
   * plain link, so it works without script; {@code next} must be a path on this server.
   */
  @GET
  @Path("/locale")
  public Response locale(@QueryParam("lang") String lang, @QueryParam("next") String next) {
    Response.ResponseBuilder back = Response.seeOther(URI.create(localPath(next)));
    if (WebLocales.supported(lang)) {
      back.cookie(
          new NewCookie.Builder(WebLocales.COOKIE)
              .value(lang)
              .path("/")
              .maxAge(365 * 24 * 3600)
              .httpOnly(true)
              .sameSite(NewCookie.SameSite.LAX)
              .build());
    }
    return back.build();
  }

  @GET
  @Path("/signed-out")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance signedOut() {
    return Pages.localized(Templates.signedOut(), page);
  }

  /** The 403 page a signed-in person of another role sees; rendered by {@link WrongRoleMapper}. */
  static TemplateInstance forbidden(PageContext page) {
    return Pages.localized(Templates.forbidden(), page);
  }

  /**
   * The 404 page a browser sees for an address the pages do not have; by {@link
   * PageNotFoundMapper}.
   */
  static TemplateInstance notFound(PageContext page, String home) {
    return Pages.localized(Templates.notFound(home), page);
  }

  /** A page whose patient consent withholds, with the emergency access link when it names one. */
  static TemplateInstance withheld(PageContext page, String emergencyHref, String home) {
    return Pages.localized(Templates.withheld(emergencyHref, home), page);
  }

  /** A page a service could not answer just now (503); by {@link PageProblemMapper}. */
  static TemplateInstance unavailable(PageContext page, String home) {
    return Pages.localized(Templates.unavailable(home), page);
  }

  /**
   * Only a path of this server (never {@code //host} or a URL): the switch must not become an open
   * redirect.
   */
  static String localPath(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/portal";
    }
    return next;
  }
}
