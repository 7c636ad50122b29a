package io.ponte.hub.web.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.WebSignIn;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The patient portal in plain HTTP, signed in through the real Keycloak login form: what the
 * patient sees, who else is turned away, and the headers every page carries. The same pages in a
 * real browser: {@code PatientPortalBrowserTest}.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalPagesTest {

  @TestHTTPResource("/")
  URL hub;

  // Static: Quarkus may give each @Nested class its own outer instance, and a second publish would
  // re-link her regional id to other MRNs than the descriptions held here.
  static String descriptionA;
  static String descriptionB;
  static String mrnA;
  static String studyA;

  @Inject AuditTrail audit;

  @Inject
  @io.quarkus.agroal.DataSource("hub")
  io.agroal.api.AgroalDataSource hubDb;

  /** The audit records of {@code username} reading the audit trail (AuditEvent). */
  long auditedReadsOfTheTrailBy(String username) throws java.sql.SQLException {
    try (var c = hubDb.getConnection();
        var st =
            c.prepareStatement(
                "select count(*) from audit_record where username = ?"
                    + " and resource_type = 'AuditEvent' and outcome = 'success'")) {
      st.setString(1, username);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  // Once per class, but after Quarkus has pointed RestAssured at the test port (not so in
  // @BeforeAll).
  @BeforeEach
  void maria() {
    if (descriptionA == null) {
      MariaAtTwoHospitals maria = MariaAtTwoHospitals.publish();
      descriptionA = maria.descriptionA();
      descriptionB = maria.descriptionB();
      mrnA = maria.mrnA();
      studyA = maria.studyA();
    }
  }

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  @Nested
  @DisplayName("before sign-in")
  class BeforeSignIn {

    @Test
    void aPageSendsTheBrowserToKeycloakWithPkceAndThePageLanguage() {
      HttpResponse<String> r =
          WebSignIn.visitor().get(url("/portal"), Map.of("Accept-Language", "en-GB,en;q=0.9"));
      assertThat(r.statusCode()).isEqualTo(302);
      String location = WebSignIn.location(r);
      assertThat(location)
          .startsWith(io.ponte.testing.TestServices.REALM_URL + "/protocol/openid-connect/auth")
          .contains("client_id=ponte-web", "code_challenge_method=S256", "ui_locales=en");
    }

    @Test
    void theLanguageDefaultsToPortuguese() {
      HttpResponse<String> r = WebSignIn.visitor().get(url("/portal/access-log"), Map.of());
      assertThat(WebSignIn.location(r)).contains("ui_locales=pt");
    }

    @Test
    void theApisStayBearerOnly() {
      given()
          .get("/api/me")
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
          .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
    }

    @Test
    void theLanguageSwitchRemembersTheChoiceAndStaysOnThisServer() {
      given()
          .redirects()
          .follow(false)
          .get("/web/locale?lang=en&next=/portal/sharing")
          .then()
          .statusCode(303)
          .header("Location", org.hamcrest.Matchers.endsWith("/portal/sharing"))
          .cookie("ponte_lang", "en");
      given()
          .redirects()
          .follow(false)
          .get("/web/locale?lang=en&next=//evil.example/x")
          .then()
          .statusCode(303)
          .header("Location", org.hamcrest.Matchers.endsWith("/portal"));
    }

    @Test
    void aChosenLanguageGoesToKeycloak() {
      HttpResponse<String> r =
          WebSignIn.visitor()
              .get(url("/portal"), Map.of("Cookie", "ponte_lang=en", "Accept-Language", "pt"));
      assertThat(WebSignIn.location(r)).contains("ui_locales=en");
    }
  }

  @Nested
  @DisplayName("as maria.patient")
  class AsThePatient {

    @Test
    void seesHerStudiesFromBothHospitalsWithSafeHeaders() {
      HttpResponse<String> page = WebSignIn.signIn(url("/portal"), "maria.patient").landed();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("<html lang=\"pt\"", "Os meus exames", descriptionA, descriptionB)
          .contains("Hospital A", "Hospital B", "Maria Gonçalves")
          // 00:30 UTC on 5 March is still 5 March in Lisbon (WET, UTC+0 in March)
          .contains("05/03/2024");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("default-src 'self'", "frame-ancestors 'none'");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void namesTheKindOfStudyInWordsNotByItsDicomCode() {
      WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
      String pt = browser.get(url("/portal"), Map.of()).body();
      // hospital-b's study is an MR: a patient reads "Ressonância magnética", not "MR"
      assertThat(pt)
          .contains("data-label=\"Tipo\">Ressonância magnética</td>")
          .doesNotContain("data-label=\"Tipo\">MR</td>");
      browser.get(url("/web/locale?lang=en&next=/portal"), Map.of());
      String en = browser.get(url("/portal"), Map.of()).body();
      assertThat(en).contains("data-label=\"Type\">MRI</td>");
    }

    @Test
    void switchesToEnglish() {
      WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
      browser.get(url("/web/locale?lang=en&next=/portal"), Map.of());
      HttpResponse<String> page = browser.get(url("/portal"), Map.of());
      assertThat(page.body()).contains("<html lang=\"en\"", "My imaging studies", "5 Mar 2024");
    }

    @Test
    void readingHerAccessLogIsItselfAudited() throws Exception {
      long before = auditedReadsOfTheTrailBy("maria.patient");
      HttpResponse<String> page =
          WebSignIn.signIn(url("/portal/access-log"), "maria.patient").landed();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(auditedReadsOfTheTrailBy("maria.patient")).isEqualTo(before + 1);
    }

    @Test
    void seesWhoSearchedForHerInTheAccessLog() {
      // searched now, so that it is among the newest lines whatever other tests added before
      given()
          .auth()
          .oauth2(io.ponte.testing.Tokens.user("ana.clinic"))
          .queryParam("patient.identifier", FhirStudies.mrnSystem("hospital-a") + "|" + mrnA)
          .get("/fhir/ImagingStudy")
          .then()
          .statusCode(200);
      HttpResponse<String> page =
          WebSignIn.signIn(url("/portal/access-log"), "maria.patient").landed();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          // the clinician by the name her token carried when she searched, not her username
          .contains(
              "Quem acedeu aos meus dados",
              "<td data-label=\"Quem\">Ana Costa</td>",
              "Clínica Norte",
              "pesquisou")
          .doesNotContain(">ana.clinic<")
          // her own portal visits are not listed
          .doesNotContain(">maria.patient<", "<td data-label=\"Quem\">Maria Gonçalves</td>");
    }

    @Test
    void theAccessLogSaysInWordsWhatWasReadAndThatARetrieveWaitsForARestore() {
      // ana.clinic reads her Patient record at hospital A: a record that names no study
      String patient =
          HubFhir.patientByMrn("hospital-a", mrnA).extract().path("entry[0].resource.id");
      given()
          .auth()
          .oauth2(io.ponte.testing.Tokens.user("ana.clinic"))
          .get("/fhir/Patient/" + patient)
          .then()
          .statusCode(200);
      // a retrieve of her study answered 202 while the node restores it from the Archive tier:
      // recorded as deferred, as HubWadoService does
      ManagedContext requests = Arc.container().requestContext();
      requests.activate();
      try {
        audit.aroundUntransacted(
            audit
                .about(AuditAction.READ, "ImagingStudy")
                .regionalId(MariaAtTwoHospitals.REGIONAL)
                .studyUid(studyA),
            r -> {
              throw new ProblemException(ErrorCode.BEING_RESTORED, "being restored");
            },
            r -> {});
      } catch (ProblemException expected) {
        // the caller's answer; the record is what counts here
      } finally {
        requests.terminate();
      }
      WebSignIn browser = WebSignIn.signIn(url("/portal/access-log"), "maria.patient").browser();
      String pt = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(pt)
          .contains(
              "ainda não: as imagens estão a ser restauradas do arquivo",
              "os seus dados de identificação")
          .doesNotContain(">deferred<");
      browser.get(url("/web/locale?lang=en&next=/portal/access-log"), Map.of());
      String en = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(en)
          .contains(
              "not yet: the images are being restored from the archive",
              "your identification details")
          .doesNotContain(">deferred<");
    }

    @Test
    void theAccessLogShowsAViewersManyRequestsAsOneLineAndEmergencyApart() throws Exception {
      // A viewer opening her study: hundreds of image requests by one clinician; another
      // clinician opens it too, and the first one later under emergency access.
      String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
      appendReads("viewer-a-" + tag, "Dr.ª Viewer A " + tag, "treatment", 240);
      appendReads("viewer-b-" + tag, "Dr. Viewer B " + tag, "treatment", 3);
      appendReads("viewer-a-" + tag, "Dr.ª Viewer A " + tag, "emergency", 2);
      WebSignIn browser = WebSignIn.signIn(url("/portal/access-log"), "maria.patient").browser();
      String pt = browser.get(url("/portal/access-log"), Map.of()).body();
      List<String> rows = rowsNaming(pt, tag);
      assertThat(rows).hasSize(3);
      assertThat(rows.get(0))
          .contains(
              "Dr.ª Viewer A " + tag, "class=\"access emergency\"", "2 pedidos", descriptionA);
      assertThat(rows.get(1)).contains("Dr. Viewer B " + tag, "3 pedidos", "cuidados de saúde");
      assertThat(rows.get(2))
          .contains("Dr.ª Viewer A " + tag, "240 pedidos", descriptionA, "abriu")
          .doesNotContain("emergency");
      assertThat(pt).contains("id=\"emergency-summary\"", "com acesso de emergência");
      browser.get(url("/web/locale?lang=en&next=/portal/access-log"), Map.of());
      String en = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(rowsNaming(en, tag).get(2)).contains("240 requests", "opened", "care");
      assertThat(en).contains("requests on this page were made under emergency access");
    }

    @Test
    void theAccessLogKeepsPagingWithAtMostFiftyLines() throws Exception {
      String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
      // 51 people each opening her study: 51 lines, one more than a page holds
      for (int i = 0; i < PortalPages.LOG_PAGE_SIZE + 1; i++) {
        appendReads("pager-" + i + "-" + tag, "Pager " + i + " " + tag, "treatment", 2);
      }
      WebSignIn browser = WebSignIn.signIn(url("/portal/access-log"), "maria.patient").browser();
      String first = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(first.split("<tr class=\"access").length - 1).isEqualTo(PortalPages.LOG_PAGE_SIZE);
      assertThat(rowsNaming(first, tag)).hasSize(PortalPages.LOG_PAGE_SIZE);
      java.util.regex.Matcher older =
          java.util.regex.Pattern.compile("href=\"(/portal/access-log\\?before=\\d+)\"")
              .matcher(first);
      assertThat(older.find()).isTrue();
      String second = browser.get(url(older.group(1)), Map.of()).body();
      // the first of them, the oldest, on the next page, and only there
      assertThat(rowsNaming(second, tag)).hasSize(1).first().asString().contains("Pager 0 " + tag);
      assertThat(first).doesNotContain("Pager 0 " + tag + "<");
    }

    @Test
    void theAccessLogNeverShowsAnotherPatientsStudyFoundByTheSameSearch() {
      FhirStudies.Builder other = FhirStudies.study("hospital-a", FhirStudies.mrn());
      HubFhir.published("ponte-node-hospital-a", other);
      // one search that finds her studies and someone else's: audited once, naming both
      given()
          .auth()
          .oauth2(io.ponte.testing.Tokens.user("ana.clinic"))
          .get("/dicomweb/studies")
          .then()
          .statusCode(200);
      String log =
          WebSignIn.signIn(url("/portal/access-log"), "maria.patient")
              .browser()
              .get(url("/portal/access-log"), Map.of())
              .body();
      assertThat(log).contains(descriptionA).doesNotContain(other.uidValue());
    }

    @Test
    void theAccessLogNamesTheHealthAuthorityInWordsInBothLanguages() {
      // The authority reads her identity links' history: audited under its organisation's id.
      given()
          .auth()
          .oauth2(io.ponte.testing.Tokens.user("rita.authority"))
          .get("/api/identity/history/" + MariaAtTwoHospitals.REGIONAL)
          .then()
          .statusCode(200);
      WebSignIn browser = WebSignIn.signIn(url("/portal/access-log"), "maria.patient").browser();
      String pt = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(pt)
          .contains(
              "<td data-label=\"Quem\">Rita Ferreira</td>",
              "<td data-label=\"Organização\">Autoridade regional de saúde</td>")
          .doesNotContain("regional-health-authority");
      browser.get(url("/web/locale?lang=en&next=/portal/access-log"), Map.of());
      String en = browser.get(url("/portal/access-log"), Map.of()).body();
      assertThat(en)
          .contains("<td data-label=\"Organisation\">Regional health authority</td>")
          .doesNotContain("regional-health-authority");
    }

    @Test
    void theSharingPageShowsHerChoiceTheRegionDefaultAndAFormWithACsrfToken() {
      HttpResponse<String> page =
          WebSignIn.signIn(url("/portal/sharing"), "maria.patient").landed();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains(
              "partilhar com todos os hospitais e clínicas participantes",
              "(opt-out)",
              "<form class=\"sharing\" method=\"post\" action=\"/portal/sharing\">",
              "name=\"csrf-token\" value=\"",
              "value=\"clinic-norte\"");
      // the token is bound to the sign-in, not to a cookie another site could plant
      assertThat(page.headers().allValues("Set-Cookie"))
          .noneMatch(c -> c.startsWith("ponte_csrf="));
    }

    @Test
    void herPageSessionOpensNoApi() {
      WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
      HttpResponse<String> api = browser.get(url("/api/me"), Map.of());
      assertThat(api.statusCode()).isEqualTo(401);
      assertThat(api.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(browser.get(url("/fhir/ImagingStudy"), Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void signsOutAtKeycloak() {
      WebSignIn browser = WebSignIn.signIn(url("/portal"), "maria.patient").browser();
      String token = WebSignIn.csrfToken(browser.get(url("/portal"), Map.of()).body());
      HttpResponse<String> out = browser.post(url("/web/sign-out"), Map.of("csrf-token", token));
      // the page's form posts the end of the session to Keycloak (SignOutTest follows it)
      assertThat(out.statusCode()).isEqualTo(200);
      assertThat(WebSignIn.form(out.body(), "end-session").action())
          .isEqualTo(io.ponte.testing.TestServices.REALM_URL + "/protocol/openid-connect/logout");
      // the hub's session is gone: the next page asks Keycloak again
      assertThat(browser.get(url("/portal"), Map.of()).statusCode()).isEqualTo(302);
    }
  }

  @Inject io.ponte.hub.audit.AuditWriter writer;

  /** {@code times} reads of her study A by one clinician, as the hub's WADO-RS records them. */
  void appendReads(String username, String name, String purpose, int times) throws Exception {
    List<io.ponte.hub.audit.AuditRecordEntity> rows = new java.util.ArrayList<>();
    for (int i = 0; i < times; i++) {
      io.ponte.hub.audit.AuditRecordEntity r = new io.ponte.hub.audit.AuditRecordEntity();
      r.action = AuditAction.READ.code();
      r.resourceType = "ImagingStudy";
      r.outcome = "success";
      r.status = 200;
      r.purpose = purpose;
      r.subject = "subject-" + username;
      r.username = username;
      r.actorName = name;
      r.organization = "clinic-norte";
      r.roles = "clinician";
      r.regionalIds = MariaAtTwoHospitals.REGIONAL;
      r.studyUids = studyA;
      rows.add(r);
    }
    writer.appendAll(rows);
  }

  /** The access log's rows that mention {@code tag}, top to bottom. */
  static List<String> rowsNaming(String page, String tag) {
    List<String> rows = new java.util.ArrayList<>();
    for (String row : page.split("<tr class=\"access")) {
      String cut = row.substring(0, Math.max(0, row.indexOf("</tr>")));
      if (cut.contains(tag)) {
        rows.add("<tr class=\"access" + cut);
      }
    }
    return rows;
  }

  @Nested
  @DisplayName("as someone of another role")
  class AsAnotherRole {

    @Test
    void aClinicianGetsAFriendly403Page() {
      HttpResponse<String> page = WebSignIn.signIn(url("/portal"), "ana.clinic").landed();
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(page.body())
          .contains("Acesso não permitido", "Ana Costa", "/web/sign-out")
          .doesNotContain("ponte:forbidden");
    }

    @Test
    void theAuthorityToo() {
      HttpResponse<String> page =
          WebSignIn.signIn(url("/portal/access-log"), "rita.authority").landed();
      assertThat(page.statusCode()).isEqualTo(403);
    }
  }
}
