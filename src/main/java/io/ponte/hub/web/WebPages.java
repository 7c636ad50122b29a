package io.ponte.hub.web;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The public parts of the page stack, shared by every surface: the language switch and the page
 * Keycloak returns to after sign-out, and sign-out itself: a POST with the form's CSRF token, so
 * that no other page (an image tag, a link) can sign a person out; a GET only asks to confirm.
 */
@Path("/hub/web")
public class WebPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance signedOut();

    static native TemplateInstance forbidden();

    static native TemplateInstance signOut();

    static native TemplateInstance endSession(
        String endSession, String clientId, String signedOut, String idTokenHint);

    static native TemplateInstance notFound(String home);

    static native TemplateInstance withheld(String emergencyHref, String home);

    static native TemplateInstance unavailable(String home);

    static native TemplateInstance openedFromElsewhere(String href, boolean list);
  }

  @Inject PageContext page;

  @Inject OidcSession session;

  @Inject OidcConfigurationMetadata keycloak;

  @ConfigProperty(name = "quarkus.oidc.web.client-id")
  String clientId;

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

  /**
   * {@code GET /web/sign-out}: a page with the sign-out button, never the sign-out itself (a GET
   * can be sent by any site: an image, a prefetched link).
   */
  @GET
  @Path("/sign-out")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance confirmSignOut() {
    return Pages.localized(Templates.signOut(), page);
  }

  /**
   * {@code POST /web/sign-out} (the form's CSRF token checked by {@link FormTokenCheck}): ends the
   * hub's session (its cookie) and has the browser post to Keycloak's end-session endpoint
   * (RP-initiated logout: the ID token as {@code id_token_hint}, back to {@code /web/signed-out}),
   * so the Keycloak session ends too and the next visit asks for the password again.
   */
  @POST
  @FormPost
  @Path("/sign-out")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response signOut(@Context UriInfo uri) {
    JsonWebToken idToken = session.getIdToken();
    String hint = idToken == null ? null : idToken.getRawToken();
    session.logout().await().indefinitely();
    // The address the browser used, as the sign-in's redirect_uri has it (the ingress keeps the
    // host).
    URI signedOut = uri.getBaseUri().resolve("/web/signed-out");
    String endSession = keycloak.getEndSessionUri();
    if (endSession == null) {
      return Response.seeOther(signedOut).build();
    }
    // RP-Initiated Logout 1.0 (section 2) takes its parameters in a POST body too: the ID token
    // stays out of URLs, so out of the browser's history and the proxies' and Keycloak's access
    // logs. A script posts the form at once; without script, its button does. The page is never
    // stored (PageHeaders: no-store).
    page.signingOut();
    return Response.ok(
            Pages.localized(
                Templates.endSession(endSession, clientId, signedOut.toString(), hint), page),
            MediaType.TEXT_HTML_TYPE)
        .build();
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

  /** A page another site sent the person to, which asks before it opens anyone's records. */
  static TemplateInstance openedFromElsewhere(PageContext page, String href, boolean list) {
    return Pages.localized(Templates.openedFromElsewhere(href, list), page);
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
