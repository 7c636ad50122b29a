package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mistyped or outdated page address: a browser gets a page in its language with a way back; a
 * program asking an API keeps the problem+json 404.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PageNotFoundTest {

  static final Map<String, String> BROWSER =
      Map.of("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

  @TestHTTPResource("/")
  URL hub;

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  @Test
  void aPatientWhoMistypesAPortalAddressGetsAPageInHerLanguageWithAWayBack() {
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();

    HttpResponse<String> pt = browser.get(url("/portal/studies-old"), BROWSER);
    assertThat(pt.statusCode()).isEqualTo(404);
    assertThat(pt.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(pt.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(pt.body())
        .contains("<html lang=\"pt\"", "Página não encontrada", "href=\"/portal\"")
        .doesNotContain("ponte:not-found", "\"status\"");

    browser.get(url("/web/locale?lang=en&next=/portal"), Map.of());
    HttpResponse<String> en = browser.get(url("/portal/studies-old"), BROWSER);
    assertThat(en.statusCode()).isEqualTo(404);
    assertThat(en.body()).contains("<html lang=\"en\"", "Page not found", "href=\"/portal\"");
  }

  @Test
  void theSignedOutPageLetsEachKindOfUserSignInAgain() {
    WebSignIn browser = WebSignIn.signIn(url("/"), "ana.clinic").browser();
    HttpResponse<String> pt = browser.get(url("/web/signed-out"), BROWSER);
    assertThat(pt.statusCode()).isEqualTo(200);
    assertThat(pt.body())
        .contains("Sessão terminada", "Entrar de novo:")
        .contains("href=\"/portal\"", "href=\"/\"", "href=\"/authority\"")
        .contains("Área clínica", "Painel da autoridade de saúde");
  }

  @Test
  void theAuthoritysWayBackIsItsDashboard() {
    WebSignIn browser = WebSignIn.signIn(url("/authority"), "rita.authority").browser();
    HttpResponse<String> r = browser.get(url("/authority/nope"), BROWSER);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("href=\"/authority\"");
  }

  @Test
  void anApiKeepsItsProblemJsonEvenForABrowser() {
    HttpResponse<String> api = WebSignIn.visitor().get(url("/api/no-such-thing"), BROWSER);
    assertThat(api.statusCode()).isIn(401, 404);
    assertThat(api.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("text/html");
  }

  @Test
  void aProgramAskingForJsonOnAPagePathGetsProblemJson() {
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    HttpResponse<String> r =
        browser.get(url("/portal/studies-old"), Map.of("Accept", "application/json"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.body()).contains("ponte:not-found");
  }
}
