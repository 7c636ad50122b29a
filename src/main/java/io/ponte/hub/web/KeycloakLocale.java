package io.ponte.hub.web;

import io.quarkus.oidc.OidcRedirectFilter;
import io.quarkus.oidc.Redirect;
import io.quarkus.oidc.TenantFeature;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keycloak's sign-in page speaks the page's language: {@code ui_locales} on the redirect to it,
 * chosen exactly as the pages choose theirs.
 */
// Found by Quarkus OIDC at run time, never injected: unremovable, or ArC would drop it.
@io.quarkus.arc.Unremovable
@ApplicationScoped
@TenantFeature("web")
@Redirect(Redirect.Location.OIDC_AUTHORIZATION)
public class KeycloakLocale implements OidcRedirectFilter {

  @Inject WebConfig config;

  @Override
  public void filter(OidcRedirectContext context) {
    HttpServerRequest request = context.routingContext().request();
    Cookie cookie = request.getCookie(WebLocales.COOKIE);
    context
        .additionalQueryParams()
        .add(
            "ui_locales",
            WebLocales.resolve(
                cookie == null ? null : cookie.getValue(),
                request.getHeader("Accept-Language"),
                config.defaultLocale()));
  }
}
