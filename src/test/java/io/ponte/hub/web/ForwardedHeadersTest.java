package io.ponte.hub.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.AuditRows;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Behind the ingress, with production's X-Forwarded-* settings (ProductionCookiesTestProfile): from
 * the trusted proxy (here 127.0.0.1, the test client) the audit records the browser's address the
 * proxy forwards, and the URIs the hub builds carry the public scheme and host; from any other
 * sender (127.0.0.2: the whole of 127/8 is loopback on Linux) the headers are ignored, so a client
 * reaching the hub directly cannot write another address into the audit trail.
 */
@QuarkusTest
@TestProfile(ProductionCookiesTestProfile.class)
class ForwardedHeadersTest {

  static final String CLINICIAN = "203.0.113.7";
  static final String UNTRUSTED = "127.0.0.2";
  static final Map<String, String> PUBLIC =
      Map.of(
          "X-Forwarded-Proto", "https",
          "X-Forwarded-Host", "ponte.example.org",
          "X-Forwarded-Port", "443");

  @TestHTTPResource("/")
  URL hub;

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  @Test
  void theAuditRecordsTheAddressTheTrustedProxyForwards() throws SQLException {
    String search = search();
    long before = AuditRows.maxSeq();
    given()
        .auth()
        .oauth2(Tokens.user("bruno.hospa"))
        .header("X-Forwarded-For", CLINICIAN)
        .get(search)
        .then()
        .statusCode(200);
    assertThat(AuditRows.clientAddressesAfter(before)).containsExactly(CLINICIAN);
  }

  @Test
  void theSignInAndSignOutSendTheBrowserToThePublicAddress() {
    HttpResponse<String> toKeycloak = WebSignIn.visitor().get(url("/portal"), PUBLIC);
    assertThat(toKeycloak.statusCode()).isEqualTo(302);
    assertThat(decoded(WebSignIn.location(toKeycloak)))
        .contains("redirect_uri=https://ponte.example.org/portal");

    WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
    String token = WebSignIn.csrfToken(browser.get(url("/portal"), Map.of()).body());
    HttpResponse<String> out =
        browser.post(url("/web/sign-out"), Map.of("csrf-token", token), PUBLIC);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(WebSignIn.form(out.body(), "end-session").fields())
        .containsEntry("post_logout_redirect_uri", "https://ponte.example.org/web/signed-out");
  }

  @Test
  void fromAnUntrustedSenderTheHeadersAreIgnored() throws Exception {
    String search = search();
    long before = AuditRows.maxSeq();
    Map<String, String> headers = new LinkedHashMap<>(PUBLIC);
    headers.put("X-Forwarded-For", CLINICIAN);
    headers.put("Authorization", "Bearer " + Tokens.user("bruno.hospa"));
    assertThat(getFromUntrusted(search.replace("|", "%7C"), headers)).startsWith("HTTP/1.1 200");
    assertThat(AuditRows.clientAddressesAfter(before)).containsExactly(UNTRUSTED);

    String toKeycloak = decoded(getFromUntrusted("/portal", PUBLIC));
    assertThat(toKeycloak).startsWith("HTTP/1.1 302").contains("redirect_uri=http://localhost:");
    assertThat(toKeycloak).doesNotContain("ponte.example.org");
  }

  /** An audited search (a study UID no one published: found nothing, still one audit row). */
  static String search() {
    return "/fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:2.25."
        + Long.toUnsignedString(UUID.randomUUID().getMostSignificantBits());
  }

  /**
   * A GET sent from {@value #UNTRUSTED}, which is not a trusted proxy; the raw response (status
   * line, headers, body). By hand: java.net's clients cannot choose their source address.
   */
  String getFromUntrusted(String path, Map<String, String> headers) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(UNTRUSTED), 0));
      socket.connect(new InetSocketAddress(hub.getHost(), hub.getPort()), 5_000);
      socket.setSoTimeout(30_000);
      StringBuilder request =
          new StringBuilder("GET " + path + " HTTP/1.1\r\n")
              .append("Host: ")
              .append(hub.getHost())
              .append(':')
              .append(hub.getPort())
              .append("\r\nConnection: close\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static String decoded(String uri) {
    return URLDecoder.decode(uri, StandardCharsets.UTF_8);
  }
}
