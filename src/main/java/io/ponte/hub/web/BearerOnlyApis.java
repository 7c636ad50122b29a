package io.ponte.hub.web;

import io.quarkus.oidc.runtime.OidcUtils;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps every path that is not a page bearer-only. Quarkus OIDC picks the tenant named by a session
 * cookie before it looks at the path, so a browser's page session ({@code q_session_web}) would
 * also open {@code /fhir}, {@code /dicomweb} and {@code /api} (and make them open to cross-site
 * requests). Before anything authenticates, each request outside the web tenant's paths is pinned
 * to the default tenant, which takes a bearer token and nothing else.
 */
@ApplicationScoped
public class BearerOnlyApis {

  /** Runs before Quarkus's security handlers and every other route. */
  static final int ORDER = -10_000;

  @ConfigProperty(name = "quarkus.oidc.web.tenant-paths")
  Optional<List<String>> pagePaths;

  void install(@Observes Router router) {
    List<String> pages = pagePaths.orElse(List.of());
    router.route().order(ORDER).handler(context -> pin(context, pages));
  }

  private static void pin(RoutingContext context, List<String> pages) {
    if (!isPage(context.normalizedPath(), pages)) {
      context.put(OidcUtils.TENANT_ID_ATTRIBUTE, OidcUtils.DEFAULT_TENANT_ID);
    }
    context.next();
  }

  /** Matches the tenant-paths forms Ponte uses: {@code /portal} (exact) and {@code /portal/*}. */
  static boolean isPage(String path, List<String> pages) {
    for (String page : pages) {
      if (page.endsWith("/*")) {
        String prefix = page.substring(0, page.length() - 2);
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
          return true;
        }
      } else if (path.equals(page)) {
        return true;
      }
    }
    return false;
  }
}
