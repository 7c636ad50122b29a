package io.ponte.hub.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What the shared layout needs on every page, for the current request: the language, the links of
 * the language switch, who is signed in. Templates read it as {@code inject:page}.
 */
@RequestScoped
@Named("page")
public class PageContext {

  /** One entry of the language switch; each language is named in itself. */
  public record LanguageLink(String tag, String label, String href, boolean current) {}

  @Inject CurrentVertxRequest vertx;

  @Inject SecurityIdentity identity;

  @Inject WebConfig config;

  private String lang;
  private String requestPath;
  private String path;
  private boolean signingOut;

  @PostConstruct
  void init() {
    HttpServerRequest request = vertx.getCurrent().request();
    Cookie cookie = request.getCookie(WebLocales.COOKIE);
    lang =
        WebLocales.resolve(
            cookie == null ? null : cookie.getValue(),
            request.getHeader("Accept-Language"),
            config.defaultLocale());
    String query = request.query();
    requestPath = request.path();
    path = requestPath + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /** {@code pt} or {@code en}: the page's {@code lang} attribute and its messages. */
  public String lang() {
    return lang;
  }

  /** Whether this page is {@code path}: the menu marks the current page (aria-current). */
  public boolean at(String path) {
    return requestPath.equals(path);
  }

  public Locale locale() {
    // British English, as the pages' English is: "5 Mar 2024", 24-hour times
    return Locale.forLanguageTag(lang.equals("pt") ? "pt-PT" : "en-GB");
  }

  public List<LanguageLink> languages() {
    if (signingOut) {
      // A link away would leave the Keycloak session open (the form's post ends it), and lead
      // back to the page that signs out, which needs the session this request ended.
      return List.of();
    }
    String next = URLEncoder.encode(path, StandardCharsets.UTF_8);
    return WebLocales.SUPPORTED.stream()
        .map(
            tag ->
                new LanguageLink(
                    tag,
                    tag.equals("pt") ? "Português" : "English",
                    "/web/locale?lang=" + tag + "&next=" + next,
                    tag.equals(lang)))
        .toList();
  }

  public boolean signedIn() {
    return !identity.isAnonymous() && !signingOut;
  }

  /** This request ends the sign-in: its page shows no one signed in (and no sign-out button). */
  void signingOut() {
    signingOut = true;
  }

  /**
   * The signed-in person's name as Keycloak knows it ({@code name}, else given and family name),
   * else their username.
   */
  public String userName() {
    if (identity.isAnonymous()) {
      return "";
    }
    if (identity.getPrincipal() instanceof JsonWebToken token) {
      var name = io.ponte.security.Caller.nameIn(token);
      if (name.isPresent()) {
        return name.get();
      }
      Object username = token.getClaim("preferred_username");
      if (username != null) {
        return username.toString();
      }
    }
    return identity.getPrincipal().getName();
  }
}
