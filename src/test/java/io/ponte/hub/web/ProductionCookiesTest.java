package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production's cookie and HSTS settings proved on real responses, not only in the configuration
 * (PageCookiesConfigTest): behind the TLS-terminating ingress the hub sees plain HTTP, yet every
 * cookie of the sign-in is Secure and every page sends Strict-Transport-Security.
 */
@QuarkusTest
@TestProfile(ProductionCookiesTestProfile.class)
class ProductionCookiesTest {

  @TestHTTPResource("/")
  URL hub;

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  @Test
  void theProfileCarriesProductionsSettings() {
    assertThat(ProductionCookiesTestProfile.productionTransportSettings())
        .containsEntry("quarkus.oidc.web.authentication.cookie-force-secure", "true")
        .containsKey("ponte.web.strict-transport-security");
  }

  @Test
  void theSignInsCookiesAreSecureOverPlainHttp() {
    HttpResponse<String> toKeycloak = WebSignIn.visitor().get(url("/portal"), Map.of());
    assertThat(toKeycloak.statusCode()).isEqualTo(302);
    List<String> state = toKeycloak.headers().allValues("Set-Cookie");
    assertThat(state).isNotEmpty().allMatch(c -> c.contains("; Secure"), "Secure");

    WebSignIn.Signed signed = WebSignIn.signIn(url("/portal"), "maria.patient");
    assertThat(signed.landed().statusCode()).isEqualTo(200);
    assertThat(signed.browser().setCookies())
        .filteredOn(c -> c.startsWith("q_session_web"))
        .isNotEmpty()
        .allMatch(c -> c.contains("; Secure"), "Secure");
  }

  @Test
  void pagesSendHsts() {
    HttpResponse<String> page = WebSignIn.signIn(url("/portal"), "maria.patient").landed();
    assertThat(page.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
  }
}
