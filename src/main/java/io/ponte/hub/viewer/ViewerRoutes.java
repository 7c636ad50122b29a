package io.ponte.hub.viewer;

import io.ponte.role.PonteConfig;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Serves OHIF at {@code /viewer} in the hub (a node serves no viewer): the installed static files
 * with their content types, index.html for the viewer's client routes ({@code /viewer/viewer},
 * {@code /viewer/viewer/ponte}...), the hub's own {@code app-config.js}, a year's cache for
 * content-hashed assets and a validator (ETag) for the rest, and the viewer's own headers: a CSP
 * that allows what OHIF needs (eval, WebAssembly, blob workers) and nothing from elsewhere, and
 * cross-origin isolation (COOP/COEP), which OHIF's 3D/MPR mode needs for SharedArrayBuffer. The
 * viewer shares the pages' sign-in: what starts it and its DICOMweb ({@link ViewerDicomwebRelay})
 * need the person's page session, OHIF's own code and assets do not ({@link ViewerAccessPolicy}). A
 * direct load of one study by a mode's short route ({@code /viewer/viewer?StudyInstanceUIDs=}, or
 * another of {@link ViewerAppConfig#MODES}) is sent by the clinician's restore page first, which
 * keeps an archived study out of a black viewport and passes an online one on to {@link
 * ViewerAppConfig#studyHref} (a route not intercepted here).
 */
@ApplicationScoped
public class ViewerRoutes {

  private static final Logger LOG = Logger.getLogger(ViewerRoutes.class);

  @Inject PonteConfig ponte;

  @Inject ViewerConfig config;

  private ViewerFiles files;
  private String appConfig;
  private String appConfigTag;
  private String csp;

  void install(@Observes Router router) {
    if (!ponte.isHub()) {
      return;
    }
    files = ViewerFiles.of(config.dir());
    appConfig = ViewerAppConfig.script(ponte.publicUrl());
    appConfigTag = ViewerFiles.entityTag(appConfig);
    csp = csp(files);
    if (files.installed()) {
      LOG.infof("OHIF viewer served at /viewer from %s", files.dir);
    } else {
      LOG.infof("no OHIF viewer at /viewer: %s", files.problem);
    }
    router.route(ViewerAppConfig.BASE).handler(c -> redirect(c));
    router.route(ViewerDicomwebRelay.PATH).handler(ViewerDicomwebRelay::handle);
    router.route(ViewerDicomwebRelay.PATH + "/*").handler(ViewerDicomwebRelay::handle);
    router.route(ViewerAppConfig.BASE + "/*").handler(this::serve);
  }

  private static void redirect(RoutingContext c) {
    if (!c.request().path().equals(ViewerAppConfig.BASE)) {
      c.next(); // Vert.x matches /viewer/ here too
      return;
    }
    String query = c.request().query();
    c.response()
        .setStatusCode(302)
        .putHeader("Location", ViewerAppConfig.BASE + "/" + (query == null ? "" : "?" + query))
        .end();
  }

  private void serve(RoutingContext c) {
    if (refusedUnlessARead(c)) {
      return;
    }
    HttpServerResponse r = c.response();
    String relative = c.normalizedPath().substring(ViewerAppConfig.BASE.length() + 1);
    String study = ViewerAppConfig.MODES.contains(relative) ? oneStudy(c) : null;
    if (study != null) {
      // A direct load of one study (a bookmark, a pasted link, a reload): OHIF cannot show a study
      // that is archived (its node answers 202 and the viewport stays black), so the clinician's
      // restore page looks first and sends an online study on to the viewer.
      String carried = ViewerDeepLink.carried(c.request().query());
      r.setStatusCode(303)
          .putHeader(
              "Location",
              "/clinician/restore?open="
                  + relative
                  + "&study="
                  + study
                  + (carried.isEmpty()
                      ? ""
                      : "&viewer="
                          + java.net.URLEncoder.encode(
                              carried.substring(1), java.nio.charset.StandardCharsets.UTF_8)))
          .putHeader("Cache-Control", "no-store")
          .end();
      return;
    }
    if (!files.installed()) {
      notInstalled(r);
      return;
    }
    headers(r);
    if (relative.equals("app-config.js")) {
      r.putHeader("Content-Type", "text/javascript; charset=utf-8")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("ETag", appConfigTag);
      if (notModified(c, appConfigTag)) {
        return;
      }
      r.end(appConfig);
      return;
    }
    Optional<Path> file = files.file(relative);
    if (file.isEmpty() && (relative.isEmpty() || ViewerFiles.isClientRoute(relative))) {
      file = Optional.of(files.index());
    }
    if (file.isEmpty()) {
      r.setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("Cache-Control", "no-cache")
          .end("Not found: " + ViewerAppConfig.BASE + "/" + relative.replaceAll("[^ -~]", "?"));
      return;
    }
    String name = file.get().getFileName().toString();
    r.putHeader("Content-Type", ViewerFiles.contentType(name))
        .putHeader("Cache-Control", ViewerFiles.cacheControl(name));
    // The files without a content hash in their name are asked for again on every load of the
    // viewer (index.html, app.bundle.css, the chunk stylesheets): a validator lets the browser keep
    // its copy until a reinstall changes them.
    Optional<String> tag = ViewerFiles.entityTag(file.get());
    if (tag.isPresent()) {
      r.putHeader("ETag", tag.get());
      if (notModified(c, tag.get())) {
        return;
      }
    }
    r.sendFile(file.get().toString());
  }

  /** Answers 405 to anything but GET and HEAD: the viewer and its DICOMweb are read only. */
  static boolean refusedUnlessARead(RoutingContext c) {
    String method = c.request().method().name();
    if (method.equals("GET") || method.equals("HEAD")) {
      return false;
    }
    c.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
    return true;
  }

  /**
   * Answers 304 (headers as set, no body) when the browser's copy is the current one. If-None-Match
   * compares weakly (RFC 9110, 13.1.2): a {@code W/} tag a proxy or compressor made of ours
   * matches.
   */
  private static boolean notModified(RoutingContext c, String tag) {
    String held = c.request().getHeader("If-None-Match");
    if (held == null
        || Arrays.stream(held.split(","))
            .map(String::trim)
            .noneMatch(t -> t.equals("*") || opaque(t).equals(opaque(tag)))) {
      return false;
    }
    c.response().setStatusCode(304).end();
    return true;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** The one Study Instance UID of a viewer route's query, or null (none, several, or no UID). */
  static String oneStudy(RoutingContext c) {
    java.util.List<String> uids = c.queryParam("StudyInstanceUIDs");
    if (uids.size() != 1 || c.request().method().name().equals("HEAD")) {
      return null;
    }
    String uid = uids.get(0);
    return io.ponte.dicom.UID.isValid(uid) ? uid : null;
  }

  private void headers(HttpServerResponse r) {
    r.putHeader("Content-Security-Policy", csp)
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Embedder-Policy", "require-corp")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin");
  }

  private void notInstalled(HttpServerResponse r) {
    r.setStatusCode(503)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Viewer not installed</title></head><body><main>"
                + "<h1>The viewer is not installed on this hub</h1>"
                + "<p>The OHIF viewer is installed with <code>src/main/scripts/ponte.sh"
                + " install-viewer</code> (into target/tools/ohif) and served when"
                + " <code>ponte.hub.viewer.dir</code> (<code>PONTE_HUB_VIEWER_DIR</code>) names"
                + " that directory. DICOMweb at <a href=\"/dicomweb/studies\">/dicomweb</a>"
                + " works without it.</p></main></body></html>");
  }

  /**
   * What OHIF needs and no more: its own scripts plus eval (its codecs and expression tools),
   * WebAssembly and blob workers (the image decoders), inline styles (React), images from data and
   * blob URLs (thumbnails). It talks to the hub only (the page session signs it in). Never framed.
   */
  static String csp(ViewerFiles files) {
    return "default-src 'self'; script-src 'self' "
        + String.join(" ", files.inlineScriptHashes)
        + " 'unsafe-eval' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:;"
        + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
        + " connect-src 'self' data: blob:; frame-src 'self'; manifest-src 'self';"
        + " media-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; object-src 'none';"
        + " form-action 'self'";
  }
}
