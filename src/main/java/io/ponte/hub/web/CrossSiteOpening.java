package io.ponte.hub.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A page that opens someone's records ({@link OpensRecords}), reached by a navigation another site
 * started, asks first: nothing is read or audited in the signed-in person's name until she goes on
 * from the hub's own page. The session cookie (SameSite=Lax) goes with any top-level link, so
 * without this a page elsewhere could have a clinician's browser search a patient of its choosing
 * and leave the audit row in her name. An EHR's link into the workspace still opens the record,
 * with one click more.
 *
 * <p>The browser says who started the request (Fetch Metadata, {@code Sec-Fetch-Site}): {@code
 * cross-site} or {@code same-site} ask; the hub's own pages ({@code same-origin}), an address typed
 * or bookmarked ({@code none}) and clients that send no such header (not a browser) go through. So
 * does an address that names no one (the workspace's empty search), where a sign-in, which comes
 * back from Keycloak's site, lands.
 */
public class CrossSiteOpening {

  @Inject PageContext page;

  @OpensRecords
  @ServerRequestFilter
  public Response askFirst(ContainerRequestContext request) {
    String site = request.getHeaderString("Sec-Fetch-Site");
    if (site == null || site.equals("same-origin") || site.equals("none")) {
      return null;
    }
    UriInfo uri = request.getUriInfo();
    if (uri.getQueryParameters().isEmpty() && uri.getPathParameters().isEmpty()) {
      return null;
    }
    return Response.ok()
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(WebPages.openedFromElsewhere(page, publicAddress(uri)).render())
        .build();
  }

  /**
   * The address the browser asked for: the internal {@code /hub} prefix (RoleRouting) taken off.
   */
  static String publicAddress(UriInfo uri) {
    String path = uri.getRequestUri().getRawPath();
    // one leading slash: "//host" would be another server's address
    String external =
        path.startsWith("/hub/")
            ? "/" + path.substring("/hub/".length()).replaceFirst("^/+", "")
            : "/";
    String query = uri.getRequestUri().getRawQuery();
    return query == null ? external : external + "?" + query;
  }
}
