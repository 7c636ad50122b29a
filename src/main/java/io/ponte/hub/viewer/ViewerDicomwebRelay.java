package io.ponte.hub.viewer;

import io.vertx.ext.web.RoutingContext;

/**
 * The viewer's DICOMweb: {@code /viewer/dicomweb/<rest>} is the hub's own {@code /dicomweb/<rest>}
 * for the person signed in to the pages, so OHIF needs no sign-in of its own (it had signed in
 * through Keycloak and started a second time for every study opened). The request is routed on
 * inside the hub: no second HTTP hop, the body streams as from /dicomweb, and it keeps the page
 * session's identity, with which the clinician's pages call the same services: the same role,
 * organisation and consent checks and the same audit as a bearer caller (roles and Ponte's claims
 * come from the session's access token). Reads only: GET and HEAD, and only from the hub's own
 * pages. The session cookie is SameSite=Lax and no CORS response allows credentials, so another
 * site can read none of it.
 */
final class ViewerDicomwebRelay {

  /** Where OHIF's data source points (its qidoRoot and wadoRoot). */
  static final String PATH = ViewerAppConfig.BASE + "/dicomweb";

  private ViewerDicomwebRelay() {}

  static void handle(RoutingContext c) {
    if (ViewerRoutes.refusedUnlessARead(c)) {
      return;
    }
    // Normalised (dot segments resolved): what follows /viewer/dicomweb stays below /dicomweb.
    String path = c.normalizedPath();
    if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
      c.next(); // /viewer/dicomwebX, one of the viewer's own, or a path led elsewhere
      return;
    }
    // Only the viewer asks for these, from the hub's own origin. A link or form on another site
    // that sends the person here (a top-level navigation carries the SameSite=Lax session cookie)
    // would run a search or a retrieve in her name and audit it: browsers say so (Fetch Metadata),
    // and it is refused before anything is read. "none" is a typed address or a bookmark.
    String site = c.request().getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      c.response()
          .setStatusCode(403)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end("The viewer's DICOMweb answers the viewer on this hub only.");
      return;
    }
    if (c.user() == null) {
      // The `viewer` permission (ViewerAccessPolicy) signs a person in before this runs: only a
      // misconfiguration gets here, and it must not reach /dicomweb anonymous.
      c.response().setStatusCode(401).putHeader("Cache-Control", "no-store").end();
      return;
    }
    String query = c.request().query();
    c.reroute("/dicomweb" + path.substring(PATH.length()) + (query == null ? "" : "?" + query));
  }
}
