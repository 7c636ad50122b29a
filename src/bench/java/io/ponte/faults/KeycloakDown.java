package io.ponte.faults;

import io.ponte.testing.PonteProcess;
import io.ponte.testing.TcpForwarder;
import io.ponte.testing.TestServices;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e) Keycloak unreachable: tokens already issued keep working (the hub checks them against the
 * realm keys it holds), new sign-ins fail at once and clearly, a token signed with a key the hub
 * does not know is refused with 401 without waiting, and the hub stays ready. The hub reaches the
 * shared Keycloak only through a proxy the suite cuts: discovery is off so that the key and token
 * endpoints are the proxy's (Keycloak names itself 127.0.0.1:8180 in its discovery document and as
 * the tokens' issuer, which the hub is told).
 */
final class KeycloakDown implements Scenario {

  private static final int CHECKS = 10;

  @Override
  public String name() {
    return "keycloak-down";
  }

  @Override
  public String title() {
    return "Keycloak unreachable, then back";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    TcpForwarder keycloak = TcpForwarder.started(port(TestServices.KEYCLOAK));
    String realm = "http://127.0.0.1:" + keycloak.port() + "/realms/ponte";
    PonteProcess hub = null;
    try {
      hub =
          PonteProcess.hub(Processes.database("kc_hub"))
              .env("PONTE_OIDC_URL", realm)
              .property("quarkus.oidc.discovery-enabled", "false")
              .property("quarkus.oidc.jwks-path", "protocol/openid-connect/certs")
              .property("quarkus.oidc.token-path", "protocol/openid-connect/token")
              .property("quarkus.oidc.token.issuer", TestServices.REALM_URL)
              .property("quarkus.oidc.web.discovery-enabled", "false")
              .property("quarkus.oidc.web.authorization-path", "protocol/openid-connect/auth")
              .property("quarkus.oidc.web.token-path", "protocol/openid-connect/token")
              .property("quarkus.oidc.web.jwks-path", "protocol/openid-connect/certs")
              .property("quarkus.oidc.web.end-session-path", "protocol/openid-connect/logout")
              .property("quarkus.oidc.web.token.issuer", TestServices.REALM_URL)
              .property("quarkus.oidc-client.hub-to-node.discovery-enabled", "false")
              .property(
                  "quarkus.oidc-client.hub-to-node.token-path", "protocol/openid-connect/token")
              .start();
      String token = FaultKit.userToken(realm, "ana.clinic");
      int before = FaultKit.status(FaultKit.get(hub.baseUrl() + "/api/me", token, null));
      report.check(
          before == 200, "before: a token signed in through the proxy, /api/me %d", before);

      keycloak.cut();
      long down = System.nanoTime();
      int ok = 0;
      for (int i = 0; i < CHECKS; i++) {
        if (FaultKit.status(FaultKit.get(hub.baseUrl() + "/api/me", token, null)) == 200
            && FaultKit.status(
                    FaultKit.get(
                        hub.baseUrl() + "/fhir/ImagingStudy?_count=1",
                        token,
                        "application/fhir+json"))
                == 200) {
          ok++;
        }
        Thread.sleep(1_500);
      }
      report.check(
          ok == CHECKS,
          "Keycloak down: the issued token worked %d of %d times over %.0f s (/api/me and FHIR"
              + " search); it expires %d s after the cut",
          ok,
          CHECKS,
          (System.nanoTime() - down) / 1e9,
          expiresIn(token));

      String signIn;
      try {
        FaultKit.userToken(realm, "bruno.hospa");
        signIn = "a token was issued";
      } catch (java.io.IOException e) {
        signIn = "refused: " + e.getClass().getSimpleName();
      }
      report.check(signIn.startsWith("refused"), "Keycloak down: a new sign-in %s", signIn);

      HttpResponse<byte[]> page = FaultKit.get(hub.baseUrl() + "/clinician/", null, "text/html");
      String location = page == null ? "" : page.headers().firstValue("Location").orElse("");
      report.check(
          FaultKit.status(page) == 302 && location.startsWith(realm),
          "Keycloak down: the hub's sign-in page answers %d, to Keycloak (%s)",
          FaultKit.status(page),
          location.isEmpty() ? "no Location" : "the unreachable realm");

      long t0 = System.nanoTime();
      int unknownKey =
          FaultKit.status(FaultKit.get(hub.baseUrl() + "/api/me", withUnknownKey(token), null));
      double seconds = (System.nanoTime() - t0) / 1e9;
      report.check(
          unknownKey == 401 && seconds < 5,
          "Keycloak down: a token signed with a key the hub never saw: %d in %.2f s",
          unknownKey,
          seconds);

      int ready = FaultKit.status(FaultKit.get(hub.baseUrl() + "/q/health/ready", null, null));
      report.check(ready == 200 && hub.isAlive(), "Keycloak down: hub readiness %d", ready);

      keycloak.start();
      String fresh = FaultKit.userToken(realm, "bruno.hospa");
      int after = FaultKit.status(FaultKit.get(hub.baseUrl() + "/api/me", fresh, null));
      report.check(after == 200, "Keycloak back: a new sign-in works, /api/me %d", after);
    } finally {
      Processes.quietly(hub);
      Processes.quietly(keycloak);
    }
  }

  private static int port(String url) {
    Matcher m = Pattern.compile(":(\\d+)").matcher(url.replace("http://", ""));
    return m.find() ? Integer.parseInt(m.group(1)) : 80;
  }

  private static long expiresIn(String jwt) {
    String payload =
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)").matcher(payload);
    return m.find() ? Long.parseLong(m.group(1)) - System.currentTimeMillis() / 1000 : -1;
  }

  /** The same claims under a header naming a key id the realm never had: the hub must refuse. */
  private static String withUnknownKey(String jwt) {
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"faults-unknown-key\"}"
                    .getBytes(StandardCharsets.UTF_8));
    String[] parts = jwt.split("\\.");
    return header + "." + parts[1] + "." + parts[2];
  }
}
