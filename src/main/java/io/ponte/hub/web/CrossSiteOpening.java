package io.ponte.hub.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
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
 * back from Keycloak's site, lands; but not a page that lists people by itself ({@link
 * OpensRecords#withoutNames()}: the identity review), whose sign-in asks once more.
 */
public class CrossSiteOpening {

  @Inject PageContext page;

  @Inject PageAccess access;

  @OpensRecords
  @ServerRequestFilter
  public Response askFirst(ContainerRequestContext request, ResourceInfo resource) {
    String site = request.getHeaderString("Sec-Fetch-Site");
    if (site == null || site.equals("same-origin") || site.equals("none")) {
      return null;
    }
    OpensRecords opens = opensRecords(resource);
    if (!opens.role().isEmpty()) {
      // The page's own refusal, not a question about what she may not open.
      access.require(opens.role());
    }
    UriInfo uri = request.getUriInfo();
    boolean list = opens.withoutNames();
    if (!list && uri.getQueryParameters().isEmpty() && uri.getPathParameters().isEmpty()) {
      return null;
    }
    return Response.ok()
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(WebPages.openedFromElsewhere(page, publicAddress(uri), list).render())
        .build();
  }

  private static OpensRecords opensRecords(ResourceInfo resource) {
    OpensRecords method = resource.getResourceMethod().getAnnotation(OpensRecords.class);
    return method != null ? method : resource.getResourceClass().getAnnotation(OpensRecords.class);
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
