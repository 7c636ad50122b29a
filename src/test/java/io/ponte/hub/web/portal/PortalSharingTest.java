package io.ponte.hub.web.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * maria.patient changes who may see her images on the portal's sharing page (plain HTTP, signed in
 * through the real Keycloak form): each choice is a Consent recorded through the same service as
 * {@code POST /fhir/Consent}; a form without its CSRF token, naming an unknown organisation or a
 * period that ends before it starts is refused on the page and stores nothing.
 */
@QuarkusTest
@TestProfile(PortalConsentTestProfile.class)
class PortalSharingTest {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

  @TestHTTPResource("/")
  URL hub;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  static MariaAtTwoHospitals maria;

  WebSignIn browser;
  String token;

  @BeforeEach
  void signedIn() throws Exception {
    withdrawEverything();
    if (maria == null) {
      maria = MariaAtTwoHospitals.publish();
    }
    HttpResponse<String> page = WebSignIn.signIn(url("/portal/sharing"), "maria.patient").landed();
    browser = WebSignIn.signIn(url("/portal/sharing"), "maria.patient").browser();
    token = csrf(browser.get(url("/portal/sharing"), Map.of()).body());
    assertThat(page.body()).contains("partilhar com todos os hospitais e clínicas participantes");
  }

  @AfterEach
  void withdrawEverything() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("update consent set status = 'inactive' where status = 'active'")) {
      ps.executeUpdate();
    }
  }

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF token in the form").isTrue();
    return m.group(1).replace("&#61;", "=");
  }

  /** Posts the sharing form as she would: from the page (each page signs a fresh token). */
  HttpResponse<String> choose(Map<String, String> form) {
    Map<String, String> sent = new HashMap<>(form);
    if (!sent.containsKey("csrf-token")) {
      sent.put("csrf-token", csrf(browser.get(url("/portal/sharing"), Map.of()).body()));
    }
    return browser.post(url("/portal/sharing"), sent);
  }

  /** Her active consents, as the FHIR API shows them to her. */
  List<Map<String, Object>> activeConsents() {
    List<Map<String, Object>> found =
        given()
            .auth()
            .oauth2(Tokens.user("maria.patient"))
            .queryParam("status", "active")
            .get("/fhir/Consent")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.resource");
    return found == null ? List.of() : found;
  }

  @Test
  void denyingAClinicRecordsAPatientConsentAndSaysSoAfterTheRedirect() {
    HttpResponse<String> posted =
        choose(Map.of("choice", "except", "organization", "clinic-norte"));
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(WebSignIn.location(posted)).endsWith("/portal/sharing?recorded=1");

    HttpResponse<String> page = browser.get(url("/portal/sharing?recorded=1"), Map.of());
    assertThat(page.body())
        .contains("A sua escolha está registada", "não partilhar com:", "Clínica Norte")
        .contains("id=\"org-clinic-norte\" name=\"organization\" value=\"clinic-norte\" checked");

    List<Map<String, Object>> consents = activeConsents();
    assertThat(consents).hasSize(1);
    Map<String, Object> consent = consents.get(0);
    assertThat(consent.toString())
        .contains("consent-source", "patient", "Organization/clinic-norte", "deny", "opt-out");
  }

  @Test
  void shareNothingThenShareWithAllNewestWins() {
    assertThat(choose(Map.of("choice", "none")).statusCode()).isEqualTo(303);
    assertThat(browser.get(url("/portal/sharing"), Map.of()).body())
        .contains("não partilhar nada além do hospital ou clínica que fez as imagens");
    assertThat(choose(Map.of("choice", "all")).statusCode()).isEqualTo(303);
    assertThat(browser.get(url("/portal/sharing"), Map.of()).body())
        .contains("<strong>partilhar com todos os hospitais e clínicas participantes</strong>");
    assertThat(activeConsents()).hasSize(2);
  }

  @Test
  void aPeriodOfDaysIsRecordedInTheRegionsTimeZone() {
    assertThat(
            choose(Map.of("choice", "none", "from", "2030-06-01", "until", "2030-06-30"))
                .statusCode())
        .isEqualTo(303);
    String consent = activeConsents().get(0).toString();
    // midnight in Lisbon, on summer time (UTC+1) in June; "until" includes its whole last day
    assertThat(consent).contains("2030-05-31T23:00:00+00:00", "2030-06-30T23:00:00+00:00");
    // nothing holds today, so today she still shares with all (the region's opt-out)
    assertThat(browser.get(url("/portal/sharing"), Map.of()).body())
        .contains("<strong>partilhar com todos os hospitais e clínicas participantes</strong>");
  }

  @Test
  void aFormWithoutItsCsrfTokenIsRefusedAndStoresNothing() {
    HttpResponse<String> posted =
        browser.post(
            url("/portal/sharing"), Map.of("choice", "none", "csrf-token", "forged-token-value"));
    assertThat(posted.statusCode()).isEqualTo(400);
    HttpResponse<String> none = browser.post(url("/portal/sharing"), Map.of("choice", "none"));
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void anOlderTabsFormIsAcceptedAfterANewerPageWasOpened() {
    // two tabs: the older form is sent after the newer page was shown (and signed its own token)
    String newer = csrf(browser.get(url("/portal/sharing"), Map.of()).body());
    assertThat(newer).isNotEqualTo(token);
    HttpResponse<String> posted = choose(Map.of("choice", "none", "csrf-token", token));
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(activeConsents()).hasSize(1);
    // and the newer one still works too
    assertThat(choose(Map.of("choice", "all", "csrf-token", newer)).statusCode()).isEqualTo(303);
  }

  @Test
  void anotherSignInsTokenIsRefused() {
    // the same person, signed in elsewhere: that session's token is not this one's
    String others = csrf(WebSignIn.signIn(url("/portal/sharing"), "maria.patient").landed().body());
    HttpResponse<String> posted = choose(Map.of("choice", "none", "csrf-token", others));
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void noCookieIsATokenEither() {
    // nothing the browser keeps (which a sibling subdomain might plant) is accepted as a token
    String host = java.net.URI.create(url("/")).getHost();
    for (String name : new String[] {"ponte_csrf", "q_session_web"}) {
      String cookie = browser.cookie(host, name);
      if (cookie != null) {
        assertThat(choose(Map.of("choice", "none", "csrf-token", cookie)).statusCode())
            .isEqualTo(400);
      }
    }
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void aChoiceTheAuditTrailCannotRecordIsA503InThePagesWordsNotTheServices() throws Exception {
    String token = csrf(browser.get(url("/portal/sharing"), Map.of()).body());
    HttpResponse<String> refused;
    // As the owner: the hub's own role may not rename the audit table.
    try (Connection c = TestDatabases.asOwner(ds);
        java.sql.Statement s = c.createStatement()) {
      s.execute("alter table audit_record rename to audit_record_offline");
      try {
        refused = choose(Map.of("choice", "none", "csrf-token", token));
      } finally {
        s.execute("alter table audit_record_offline rename to audit_record");
      }
    }
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body())
        .contains("A sua escolha não foi registada:", "Nada foi alterado; tente de novo")
        .doesNotContain("audit", "o hub recusou-a");
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void anUnknownOrganisationIsShownOnThePageAndStoresNothing() {
    HttpResponse<String> posted = choose(Map.of("choice", "except", "organization", "hospital-z"));
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(posted.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(posted.body())
        .contains(
            "A sua escolha não foi registada",
            "&quot;hospital-z&quot; não é um hospital ou clínica participante",
            "role=\"alert\"");
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsShownOnThePageAndStoresNothing() {
    HttpResponse<String> posted =
        choose(Map.of("choice", "none", "from", "2030-05-01", "until", "2030-04-01"));
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(posted.body())
        .contains("o período termina antes de começar", "value=\"2030-05-01\"");
    assertThat(activeConsents()).isEmpty();
  }

  @Test
  void denyingWithoutNamingAnyoneIsRefused() {
    HttpResponse<String> posted = choose(Map.of("choice", "except"));
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(posted.body()).contains("assinale pelo menos um hospital ou clínica");
    assertThat(activeConsents()).isEmpty();
  }
}
