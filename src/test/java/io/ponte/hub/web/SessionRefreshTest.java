package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.dicomweb.ShortLivedTokensProfile;
import io.ponte.testing.KeycloakAdmin;
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
 * A long session never fails on an expired token: with a test-only copy of {@code ponte-web} whose
 * tokens live 5 s, a page opened after they expired is still served (the hub refreshed them), not a
 * redirect to Keycloak.
 */
@QuarkusTest
@TestProfile(ShortLivedTokensProfile.class)
class SessionRefreshTest {

  static final String CLIENT = ShortLivedTokensProfile.WEB_CLIENT;

  @TestHTTPResource("/portal/sharing")
  URL sharing;

  @Test
  void aPageAfterTheTokensExpiredIsServedWithRefreshedTokens() throws Exception {
    String id =
        KeycloakAdmin.createClient(
            "ponte",
            Map.of(
                "clientId",
                CLIENT,
                "publicClient",
                true,
                "standardFlowEnabled",
                true,
                "directAccessGrantsEnabled",
                false,
                "redirectUris",
                List.of("http://localhost/*", "http://127.0.0.1/*"),
                "attributes",
                Map.of("access.token.lifespan", "5", "pkce.code.challenge.method", "S256"),
                "defaultClientScopes",
                List.of(
                    "basic",
                    "roles",
                    "profile",
                    "ponte-claims",
                    "patient/ImagingStudy.rs",
                    "ponte-hub-audience")));
    try {
      WebSignIn.Signed signed = WebSignIn.signIn(sharing.toString(), "maria.patient");
      assertThat(signed.landed().statusCode()).isEqualTo(200);
      Thread.sleep(7_000); // past the 5 s lifespan of both the ID and the access token
      HttpResponse<String> later = signed.browser().get(sharing.toString(), Map.of());
      assertThat(later.statusCode()).isEqualTo(200);
      assertThat(later.body()).contains("Maria Gonçalves");
      assertThat(later.headers().allValues("Set-Cookie"))
          .as("the refreshed tokens go back into the session cookie")
          .anyMatch(c -> c.startsWith("q_session_web"));
    } finally {
      KeycloakAdmin.deleteClient("ponte", id);
    }
  }
}
