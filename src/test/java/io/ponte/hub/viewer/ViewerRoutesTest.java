package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Peers;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OHIF at /viewer on the hub, as installed by {@code ponte.sh install-viewer} into
 * target/tools/ohif (missing: skipped locally, failed under CI=true), for a clinician signed in to
 * the hub's pages.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ViewerRoutesTest {

  static final Path OHIF = Path.of("target/tools/ohif");

  /** Ana's browser, signed in once for the class. */
  private static WebSignIn ana;

  @TestHTTPResource("/")
  URL root;

  @BeforeEach
  void requireOhif() {
    Peers.require(
        Files.isRegularFile(OHIF.resolve("index.html")),
        "the OHIF viewer in target/tools/ohif (src/main/scripts/ponte.sh install-viewer)");
    if (ana == null) {
      ana = WebSignIn.signIn(root + "viewer/", "ana.clinic").browser();
    }
  }

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String keycloak;

  private String keycloakOrigin() {
    java.net.URI k = java.net.URI.create(keycloak);
    return k.getScheme() + "://" + k.getRawAuthority();
  }

  private RequestSpecification signedIn() {
    return io.restassured.RestAssured.given().header("Cookie", ana.cookieHeader(root.getHost()));
  }

  /** What starts the viewer, and its data, are pages like the others: sign in first. */
  @Test
  void aVisitorIsSentToSignInFirst() {
    for (String path :
        new String[] {
          "viewer",
          "viewer/",
          "viewer/app-config.js",
          "viewer/index.html",
          "viewer/viewer/ponte?StudyInstanceUIDs=1.2.3",
          "viewer/dicomweb/studies",
          "viewer/dicomweb"
        }) {
      HttpResponse<String> r = WebSignIn.visitor().get(root + path, Map.of());
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(WebSignIn.location(r)).as(path).contains("/protocol/openid-connect/auth");
      assertThat(r.body()).as(path).doesNotContain("window.config");
    }
  }

  @Test
  void theBareViewerPathRedirectsToTheApplication() {
    signedIn()
        .config(
            RestAssuredConfig.config()
                .redirect(RedirectConfig.redirectConfig().followRedirects(false)))
        .get("/viewer")
        .then()
        .statusCode(302)
        .header("Location", equalTo("/viewer/"));
  }

  /** OHIF's own code is the public npm package's: loaded without reading the session. */
  @Test
  void aVisitorLoadsTheViewersCodeAndAssets() throws IOException {
    for (String path : new String[] {first("app.bundle.", ".js"), "app.bundle.css"}) {
      HttpResponse<String> r = WebSignIn.visitor().get(root + "viewer/" + path, Map.of());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
    }
    assertThat(ViewerAccessPolicy.isApplicationFile("/viewer/assets/fonts/x.woff2")).isTrue();
    assertThat(ViewerAccessPolicy.isApplicationFile("/viewer/dicomweb/studies/1.2/metadata"))
        .isFalse();
    assertThat(ViewerAccessPolicy.isApplicationFile("/viewer/viewer/ponte")).isFalse();
    assertThat(ViewerAccessPolicy.isApplicationFile("/fhir/x.js")).isFalse();
  }

  @Test
  void servesTheApplicationWithTheViewersOwnHeaders() {
    signedIn()
        .get("/viewer/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .header("Cross-Origin-Embedder-Policy", "require-corp")
        .header("Content-Security-Policy", containsString("'wasm-unsafe-eval'"))
        .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
        .header("Content-Security-Policy", containsString("connect-src 'self' data: blob:;"))
        .header("Content-Security-Policy", not(containsString(keycloakOrigin())))
        .header("Content-Security-Policy", not(containsString("script-src 'self' 'unsafe-inline'")))
        .header("Cache-Control", "no-cache")
        .body(containsString("window.PUBLIC_URL=\"/viewer/\""));
  }

  @Test
  void clientRoutesAnswerTheApplicationPage() {
    for (String route :
        new String[] {
          "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.3",
          "/viewer/viewer?StudyInstanceUIDs=1.2.3&StudyInstanceUIDs=1.2.4",
          "/viewer/viewer?StudyInstanceUIDs=%3Cscript%3E",
          "/viewer/viewer",
          "/viewer/segmentation/ponte"
        }) {
      signedIn()
          .get(route)
          .then()
          .statusCode(200)
          .contentType(containsString("text/html"))
          .body(containsString("app-config.js"));
    }
  }

  @Test
  void aDirectLoadOfOneStudyIsSentByTheRestorePageWhichLooksFirst() {
    // An archived study would leave OHIF's viewport black (its node answers 202).
    signedIn()
        .redirects()
        .follow(false)
        .get("/viewer/viewer?StudyInstanceUIDs=1.2.840.3")
        .then()
        .statusCode(303)
        .header("Location", endsWith("/clinician/restore?open=viewer&study=1.2.840.3"))
        .header("Cache-Control", "no-store");
    assertThat(ViewerAppConfig.studyHref("1.2.840.3"))
        .isEqualTo("/viewer/viewer/ponte?StudyInstanceUIDs=1.2.840.3");
    // Another of OHIF's modes (its study list offers them beside the Basic Viewer): the same look,
    // and back to that mode; a route that is no mode is OHIF's own.
    signedIn()
        .redirects()
        .follow(false)
        .get("/viewer/segmentation?StudyInstanceUIDs=1.2.840.3")
        .then()
        .statusCode(303)
        .header("Location", endsWith("/clinician/restore?open=segmentation&study=1.2.840.3"));
    signedIn()
        .redirects()
        .follow(false)
        .get("/viewer/nosuchmode?StudyInstanceUIDs=1.2.840.3")
        .then()
        .statusCode(200);
    assertThat(ViewerAppConfig.studyHref("segmentation", "1.2.840.3"))
        .isEqualTo("/viewer/segmentation/ponte?StudyInstanceUIDs=1.2.840.3");
  }

  @Test
  void aDeepLinkKeepsItsSeriesThroughTheRestorePageAndNothingElse() {
    signedIn()
        .redirects()
        .follow(false)
        .get(
            "/viewer/viewer?StudyInstanceUIDs=1.2.840.3&SeriesInstanceUIDs=1.2.840.3.1,1.2.840.3.2"
                + "&initialSeriesInstanceUID=1.2.840.3.2&configUrl=https://evil.example/x.js"
                + "&SeriesInstanceUIDs=1.2%3Cscript%3E")
        .then()
        .statusCode(303)
        .header(
            "Location",
            endsWith(
                "/clinician/restore?open=viewer&study=1.2.840.3&viewer="
                    + "SeriesInstanceUIDs%3D1.2.840.3.1%2C1.2.840.3.2"
                    + "%26initialSeriesInstanceUID%3D1.2.840.3.2"));
    assertThat(ViewerDeepLink.carried("SeriesInstanceUIDs=1.2&hangingprotocolId=x"))
        .isEqualTo("&SeriesInstanceUIDs=1.2");
    assertThat(ViewerDeepLink.carried("SeriesInstanceUIDs=javascript:alert(1)")).isEmpty();
    assertThat(ViewerDeepLink.carried(null)).isEmpty();
  }

  @Test
  void theHubWritesTheConfigurationPointingAtTheViewersRelayWithNoSignInOfItsOwn() {
    String js =
        signedIn()
            .get("/viewer/app-config.js")
            .then()
            .statusCode(200)
            .contentType(containsString("text/javascript"))
            .extract()
            .asString();
    assertThat(js)
        .startsWith("/* Written by the Ponte hub")
        .contains("\"qidoRoot\" : \"http://")
        .contains("/viewer/dicomweb\"")
        .containsPattern("\"startsWith\" : \"http://[^\"]+/dicomweb/\"")
        .containsPattern("\"prefixWith\" : \"http://[^\"]+/viewer/dicomweb/\"")
        .contains("\"routerBasename\" : \"/viewer\"")
        .doesNotContain("oidc")
        .doesNotContain("client_id")
        .doesNotContain("/realms/")
        .doesNotContain("cloudfront")
        .doesNotContain("googleapis");
  }

  /**
   * The modes whose one-study route goes by the restore page are those of the installed OHIF (its
   * bundles' {@code routeName}s): an upgrade that adds or renames a mode must not leave it out.
   */
  @Test
  void theRestorePagesModesAreTheInstalledViewersModes() throws IOException {
    java.util.Set<String> installed = new java.util.TreeSet<>();
    java.util.regex.Pattern route =
        java.util.regex.Pattern.compile("routeName:\\s*['\"]([A-Za-z0-9-]+)['\"]");
    try (Stream<Path> files = Files.list(OHIF)) {
      for (Path js : files.filter(f -> f.toString().endsWith(".js")).toList()) {
        java.util.regex.Matcher m = route.matcher(Files.readString(js));
        while (m.find()) {
          installed.add(m.group(1));
        }
      }
    }
    assertThat(installed).isEqualTo(new java.util.TreeSet<>(ViewerAppConfig.MODES));
  }

  @Test
  void hashedAssetsAreCachedForAYearWithTheirContentType() throws IOException {
    String bundle = first("app.bundle.", ".js");
    signedIn()
        .get("/viewer/" + bundle)
        .then()
        .statusCode(200)
        .contentType(containsString("text/javascript"))
        .header("Cache-Control", containsString("immutable"));
    signedIn()
        .get("/viewer/" + first("", ".wasm"))
        .then()
        .statusCode(200)
        .contentType(equalTo("application/wasm"));
  }

  @Test
  void theFilesAskedForOnEveryLoadAreNotSentAgainWhileUnchanged() throws IOException {
    for (String file : new String[] {"app.bundle.css", "app-config.js", ""}) {
      String tag =
          signedIn()
              .get("/viewer/" + file)
              .then()
              .statusCode(200)
              .header("Cache-Control", "no-cache")
              .extract()
              .header("ETag");
      assertThat(tag).as(file).startsWith("\"").endsWith("\"");
      signedIn()
          .header("If-None-Match", tag)
          .get("/viewer/" + file)
          .then()
          .statusCode(304)
          .header("ETag", tag)
          .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
          .body(equalTo(""));
      // Compared weakly: the same tag marked weak by a proxy on the way still matches.
      signedIn()
          .header("If-None-Match", "\"other\", W/" + tag)
          .get("/viewer/" + file)
          .then()
          .statusCode(304);
      // Another version's validator (an earlier install): the file itself.
      signedIn()
          .header("If-None-Match", "\"0-0\", \"stale\"")
          .get("/viewer/" + file)
          .then()
          .statusCode(200)
          .body(not(equalTo("")));
    }
    // A content-hashed bundle needs none: it is cached for a year under its name.
    signedIn()
        .get("/viewer/" + first("app.bundle.", ".js"))
        .then()
        .statusCode(200)
        .header("ETag", (String) null);
  }

  @Test
  void aMissingFileOrAPathOutsideTheBuildIsNotFound() {
    signedIn().get("/viewer/no-such-bundle.js").then().statusCode(404);
    signedIn().get("/viewer/..%2f..%2fpom.xml").then().statusCode(404);
    signedIn().get("/viewer/../../pom.xml").then().statusCode(not(equalTo(200)));
  }

  @Test
  void onlyReadsAreAllowed() {
    signedIn().post("/viewer/index.html").then().statusCode(405);
  }

  private static String first(String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(OHIF)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
          .findFirst()
          .orElseThrow();
    }
  }
}
