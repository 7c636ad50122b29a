package io.ponte.hub.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Security headers on every HTML page the hub renders: nothing but the hub's own CSS (no inline
 * script or style, no CDN), never framed, and never cached, since the pages show personal health
 * data (a shared computer's back button or disk cache must not reveal it). In production also HSTS
 * (WebConfig#strictTransportSecurity), set here rather than trusted to the ingress.
 */
public class PageHeaders {

  @Inject WebConfig config;

  static final String CSP =
      "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

  @ServerResponseFilter
  public void headers(jakarta.ws.rs.container.ContainerResponseContext response) {
    MediaType type = response.getMediaType();
    if (type == null || !type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
      return;
    }
    MultivaluedMap<String, Object> headers = response.getHeaders();
    headers.putSingle("Content-Security-Policy", CSP);
    headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    headers.putSingle("X-Content-Type-Options", "nosniff");
    headers.putSingle("Referrer-Policy", "same-origin");
    // As the viewer's (ViewerRoutes): a page and the viewer window it opened stay in one browsing
    // context group only when both isolate alike, and the page needs that window to hand it the
    // next study (web/viewer-window.js). Every subresource of a page is the hub's own.
    headers.putSingle("Cross-Origin-Opener-Policy", "same-origin");
    headers.putSingle("Cross-Origin-Embedder-Policy", "require-corp");
    config
        .strictTransportSecurity()
        .ifPresent(value -> headers.putSingle("Strict-Transport-Security", value));
  }
}
