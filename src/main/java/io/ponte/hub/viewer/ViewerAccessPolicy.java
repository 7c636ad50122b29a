package io.ponte.hub.viewer;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Who may load what of the viewer (the {@code viewer} permission in application.properties): the
 * pages that start it (index.html for its routes, app-config.js) and its DICOMweb need a person
 * signed in, and the web tenant sends anyone else to Keycloak; OHIF's own code and assets (a file
 * name with an extension: bundles, stylesheets, WebAssembly, fonts) are the public npm package's
 * and are served without reading the session, about fifty files per viewer load.
 */
@ApplicationScoped
public class ViewerAccessPolicy implements HttpSecurityPolicy {

  private static final Set<String> STARTS_THE_VIEWER = Set.of("index.html", "app-config.js");

  @Override
  public Uni<CheckResult> checkPermission(
      RoutingContext request,
      Uni<SecurityIdentity> identity,
      AuthorizationRequestContext requestContext) {
    if (isApplicationFile(request.normalizedPath())) {
      return CheckResult.permit();
    }
    return identity.map(i -> i.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
  }

  @Override
  public String name() {
    return "viewer";
  }

  /** A file of OHIF's build below /viewer/ that starts nothing and is not its DICOMweb. */
  static boolean isApplicationFile(String path) {
    String base = ViewerAppConfig.BASE + "/";
    if (!path.startsWith(base) || path.startsWith(ViewerDicomwebRelay.PATH + "/")) {
      return false;
    }
    String relative = path.substring(base.length());
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    return !relative.isEmpty()
        && !ViewerFiles.isClientRoute(relative)
        && !STARTS_THE_VIEWER.contains(name);
  }
}
