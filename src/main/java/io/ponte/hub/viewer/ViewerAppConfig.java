package io.ponte.hub.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.text.Urls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OHIF's {@code app-config.js}, written by the hub instead of the one shipped with OHIF: the hub's
 * DICOMweb by the viewer's relay ({@link ViewerDicomwebRelay}) is the only data source, and OHIF
 * signs no one in: the person's page session, which opened the viewer, carries every request.
 * Written as JSON (a JavaScript object literal), so no value can break out of it.
 */
public final class ViewerAppConfig {

  /** Where OHIF lives on the hub; its build is rebased to this path at install. */
  static final String BASE = "/viewer";

  /** The hub's data source in OHIF's configuration (its name is also a route: see below). */
  static final String SOURCE = "ponte";

  /**
   * One study in OHIF's Basic Viewer by the route naming the data source ({@code
   * /viewer/viewer/ponte}, which OHIF builds beside {@code /viewer/viewer}): the address the hub's
   * pages give once they know the study is online. {@link ViewerRoutes} sends a direct load of the
   * shorter route by the clinician's restore page first.
   */
  public static String studyHref(String studyUid) {
    return studyHref("viewer", studyUid);
  }

  /** As {@link #studyHref(String)}, in OHIF's mode {@code mode} (one of {@link #MODES}). */
  public static String studyHref(String mode, String studyUid) {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("not a mode of the viewer: " + mode);
    }
    return BASE
        + "/"
        + mode
        + "/"
        + SOURCE
        + "?StudyInstanceUIDs="
        + java.net.URLEncoder.encode(studyUid, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The routes of the modes built into the pinned OHIF (3.13.2: their {@code routeName}s; its study
   * list offers those that fit a study). A one-study load of any of them goes by the restore page
   * ({@link ViewerRoutes}), and comes back to the same mode.
   */
  public static final java.util.Set<String> MODES =
      java.util.Set.of(
          "viewer",
          "basic",
          "basic-test",
          "dev",
          "dynamic-volume",
          "microscopy",
          "segmentation",
          "tmtv",
          "usAnnotation");

  private ViewerAppConfig() {}

  /**
   * Two rules on OHIF's navigation, sharing one test of "this viewer's address of one study" (this
   * origin, a mode's route under the viewer, one {@code StudyInstanceUIDs}).
   *
   * <p><b>The study list opens through the hub.</b> OHIF's own study list opens a study inside the
   * application (a {@code history.pushState} to a mode's route, e.g. {@code
   * /viewer/viewer?StudyInstanceUIDs=}), so the hub never sees it and an archived study opens as a
   * black viewport. That one navigation, from outside the modes (the list), becomes a load of the
   * same address, which {@link ViewerRoutes} sends by the restore page: an archived study stays
   * there, an online one goes on to the same mode ({@link #studyHref(String, String)}). Other
   * navigations (back to the list, a mode rewriting its own address) stay inside the application.
   *
   * <p><b>The next study opens in the running viewer.</b> The clinician's pages open each next
   * study in the OHIF already running in the viewer's window (web/viewer-window.js) rather than
   * starting it again (its start took 1.4–3.3 s on this project's machines: docs/performance.md):
   * {@code window.ponteViewer.open(href)} takes a one-study address and goes there by OHIF's own
   * router, a history entry in its format and the {@code popstate} its router listens to; OHIF's
   * mode route then reloads its data for the new address, as when its study list opens a study. Any
   * other address answers false, and the caller loads it instead. Back returns to the previous
   * study.
   */
  static final String VIEWER_NAVIGATION =
      """
      (function () {
        var base = '%1$s', modes = %2$s;
        function modeOf(path) {
          var m = path.indexOf(base + '/') === 0 ? path.substring(base.length + 1).split('/')[0] : '';
          return modes.indexOf(m) >= 0 ? m : null;
        }
        // this viewer's address of one study, or null
        function oneStudy(url) {
          var to;
          try {
            to = new URL(url, location.href);
          } catch (e) {
            return null; // not an address
          }
          return to.origin === location.origin
              && modeOf(to.pathname) !== null
              && to.searchParams.getAll('StudyInstanceUIDs').length === 1 ? to : null;
        }
        var push = history.pushState;
        history.pushState = function (state, title, url) {
          var to = oneStudy(url);
          if (to !== null
              && to.pathname === base + '/' + modeOf(to.pathname)
              && modeOf(location.pathname) === null) {
            location.assign(to.href);
            return;
          }
          return push.apply(this, arguments);
        };
        window.ponteViewer = {
          open: function (href) {
            var to = oneStudy(href);
            if (to === null) {
              return false;
            }
            if (to.pathname + to.search !== location.pathname + location.search) {
              var at = history.state && typeof history.state.idx === 'number' ? history.state.idx : -1;
              var key = Math.random().toString(36).substring(2, 10);
              history.pushState({ usr: null, key: key, idx: at + 1 }, '', to.href);
              // not when the study list's rule above made it a load instead
              if (history.state && history.state.key === key) {
                dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
              }
            }
            return true;
          }
        };
      })();
      """
          .formatted(BASE, modesJson());

  private static String modesJson() {
    try {
      return new ObjectMapper().writeValueAsString(new java.util.TreeSet<>(MODES));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String script(String hubPublicUrl) {
    String hub = Urls.withoutTrailingSlash(hubPublicUrl);
    String dicomweb = hub + ViewerDicomwebRelay.PATH;
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("friendlyName", "Ponte hub");
    source.put("name", "ponte");
    source.put("wadoUriRoot", dicomweb);
    source.put("qidoRoot", dicomweb);
    source.put("wadoRoot", dicomweb);
    source.put("qidoSupportsIncludeField", true);
    source.put("imageRendering", "wadors");
    source.put("thumbnailRendering", "wadors");
    source.put("enableStudyLazyLoad", true);
    source.put("supportsFuzzyMatching", true);
    source.put("supportsWildcard", true);
    source.put("staticWado", false);
    source.put("singlepart", "bulkdata,video");
    // The hub's metadata points every BulkDataURI at its /dicomweb, which takes a bearer token
    // only: OHIF's own rewrite sends them by the viewer's relay instead.
    Map<String, Object> bulkData = new LinkedHashMap<>();
    bulkData.put("enabled", true);
    bulkData.put("relativeResolution", "studies");
    bulkData.put("startsWith", hub + "/dicomweb/");
    bulkData.put("prefixWith", dicomweb + "/");
    source.put("bulkDataURI", bulkData);
    source.put("omitQuotationForMultipartRequest", true);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "ponte");
    config.put("routerBasename", BASE);
    config.put("extensions", List.of());
    config.put("modes", List.of());
    config.put("customizationService", Map.of());
    config.put("showStudyList", true);
    config.put("maxNumberOfWebWorkers", 3);
    config.put("showWarningMessageForCrossOrigin", false);
    config.put("showCPUFallbackMessage", true);
    config.put("showLoadingIndicator", true);
    config.put("strictZSpacingForVolumeViewport", true);
    config.put("investigationalUseDialog", Map.of("option", "never"));
    config.put("maxNumRequests", Map.of("interaction", 100, "thumbnail", 5, "prefetch", 25));
    config.put("showErrorDetails", "dev");
    config.put("defaultDataSourceName", "ponte");
    config.put(
        "dataSources",
        List.of(
            Map.of(
                "namespace",
                "@ohif/extension-default.dataSourcesModule.dicomweb",
                "sourceName",
                SOURCE,
                "configuration",
                source)));
    try {
      return "/* Written by the Ponte hub (io.ponte.hub.viewer). */\nwindow.config = "
          + new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config)
          + ";\n"
          + VIEWER_NAVIGATION;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
