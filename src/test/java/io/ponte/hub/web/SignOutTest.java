package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestServices;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sign-out is a POST with the form's CSRF token (every page's header has that form), so another
 * site cannot sign a person out with an image tag or a link: a GET only shows the button. The POST
 * ends the hub's session and Keycloak's (RP-initiated logout, id_token_hint in a form's body).
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class SignOutTest {

  static final String FORM = "<form class=\"sign-out\" method=\"post\" action=\"/web/sign-out\">";

  @TestHTTPResource("/")
  URL hub;

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  @Test
  void everyUserGroupsPagesSignOutWithAPostFormNotALink() {
    for (String[] who :
        new String[][] {
          {"/portal", "maria.patient"}, {"/", "ana.clinic"}, {"/authority", "rita.authority"}
        }) {
      HttpResponse<String> page = WebSignIn.signIn(url(who[0]), who[1]).landed();
      assertThat(page.statusCode()).as(who[0]).isEqualTo(200);
      assertThat(page.body())
          .as(who[0])
          .contains(FORM, "name=\"csrf-token\" value=\"")
          .doesNotContain("href=\"/web/sign-out\"");
    }
    // the 403 page of another role's surface offers the same form
    HttpResponse<String> forbidden = WebSignIn.signIn(url("/portal"), "ana.clinic").landed();
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains(FORM).doesNotContain("href=\"/web/sign-out\"");
  }

  @Test
  void aGetNoLongerSignsOutItAsksToConfirm() {
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    HttpResponse<String> get = browser.get(url("/web/sign-out"), Map.of());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).contains("Quer terminar a sessão na Ponte?", FORM);
    // still signed in
    assertThat(browser.get(url("/portal"), Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aPostWithoutTheTokenOrWithAnotherSessionsIsRefusedAndKeepsTheSession() {
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    String others =
        WebSignIn.csrfToken(WebSignIn.signIn(url("/portal"), "maria.patient").landed().body());
    assertThat(browser.post(url("/web/sign-out"), Map.of()).statusCode()).isEqualTo(400);
    assertThat(browser.post(url("/web/sign-out"), Map.of("csrf-token", others)).statusCode())
        .isEqualTo(400);
    assertThat(browser.get(url("/portal"), Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aPostThatIsNotAUrlEncodedFormIsRefusedEvenWithAValidToken() {
    // text/plain and multipart/form-data are forms another site can send without a preflight
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    String token = WebSignIn.csrfToken(browser.get(url("/portal"), Map.of()).body());
    assertThat(browser.send("POST", url("/web/sign-out"), "text/plain", "csrf-token=" + token))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(415);
    String multipart =
        "--b\r\nContent-Disposition: form-data; name=\"csrf-token\"\r\n\r\n"
            + token
            + "\r\n--b--\r\n";
    assertThat(
            browser.send(
                "POST", url("/web/sign-out"), "multipart/form-data; boundary=b", multipart))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(415);
    assertThat(browser.get(url("/portal"), Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyThePagesFormPostsReadTheirBodyAsAForm() {
    // a form body that cannot be parsed (its boundary never closes), sent to a public page: read
    // as a form it would be refused (or, large, spooled to disk for anyone); not read, the page
    String broken = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nxx";
    HttpResponse<String> page =
        WebSignIn.visitor()
            .send("GET", url("/web/signed-out"), "multipart/form-data; boundary=b", broken);
    assertThat(page.statusCode()).isEqualTo(200);
  }

  @Test
  void thePostSignsOutAtTheHubAndAtKeycloak() {
    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    String token = WebSignIn.csrfToken(browser.get(url("/portal"), Map.of()).body());

    HttpResponse<String> out = browser.post(url("/web/sign-out"), Map.of("csrf-token", token));
    // The ID token goes to Keycloak in a form's body, never in a URL (history, access logs), from
    // a page never stored, which shows no one signed in any more.
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Location")).isEmpty();
    assertThat(out.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(out.body())
        .doesNotContain(FORM)
        .contains("src=\"/web/end-session.js\"")
        // No way off the page but its form: a link away would leave the Keycloak session open.
        .doesNotContain("/web/locale")
        .doesNotContain("<nav class=\"tools\"");
    WebSignIn.Form endSession = WebSignIn.form(out.body(), "end-session");
    assertThat(endSession.action())
        .isEqualTo(TestServices.REALM_URL + "/protocol/openid-connect/logout");
    String signedOut = url("/web/signed-out");
    assertThat(endSession.fields())
        .containsEntry("post_logout_redirect_uri", signedOut)
        .containsEntry("client_id", "ponte-web");
    assertThat(endSession.fields().get("id_token_hint")).startsWith("ey");

    // Keycloak ends its session and sends the browser back to the public signed-out page
    HttpResponse<String> back = browser.post(endSession.action(), endSession.fields());
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(WebSignIn.location(back)).isEqualTo(signedOut);
    assertThat(browser.get(url("/web/signed-out"), Map.of()).body()).contains("Sessão terminada");

    // the hub's session is gone, and Keycloak asks for the password again (no silent sign-in)
    HttpResponse<String> again = browser.get(url("/portal"), Map.of());
    assertThat(again.statusCode()).isEqualTo(302);
    HttpResponse<String> keycloak = browser.get(WebSignIn.location(again), Map.of());
    assertThat(keycloak.statusCode()).isEqualTo(200);
    assertThat(keycloak.body()).contains("kc-form-login");
  }
}
