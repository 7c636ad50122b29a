package io.ponte.hub.web.authority;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.agroal.api.AgroalDataSource;
import io.ponte.hub.consent.ConsentValidator;
import io.ponte.hub.consent.TinyNode;
import io.ponte.hub.oversight.NodeReachability;
import io.ponte.hub.oversight.OversightMetrics;
import io.ponte.testing.AuditRows;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Management;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authority's dashboard with real tokens and the real sign-in: who may see it, that its figures
 * move when retrieves and refusals are recorded, that the page, its CSV and the API agree, that a
 * bad range says why, and the review of an emergency access (CSRF-protected, audited).
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuthorityPagesTest {

  private static final Locale PT = Locale.forLanguageTag("pt-PT");

  private static TinyNode node;

  @TestHTTPResource("/")
  URL hub;

  @Inject OversightMetrics metrics;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @Inject NodeReachability reachability;

  /** The tiny node runs from here on: the background check is made to see it now. */
  @BeforeEach
  void checkTheNodes() {
    reachability.check();
  }

  @BeforeAll
  static void startNode() throws Exception {
    node = new TinyNode(HubTestProfile.HOSPITAL_A_NODE_PORT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  static String today() {
    return LocalDate.now(ZoneId.of("Europe/Lisbon")).toString();
  }

  /** The API's figures for today only (the test database is shared: deltas, not absolutes). */
  static JsonPath figures() {
    return given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("from", today())
        .queryParam("to", today())
        .get("/api/authority/figures")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static long count(JsonPath f, String table, String key) {
    List<List<String>> rows = f.getList("tables.'" + table + "'.rows");
    return rows.stream()
        .filter(r -> r.get(0).equals(key))
        .mapToLong(r -> Long.parseLong(r.get(r.size() - 1)))
        .sum();
  }

  /** A study of a fresh patient at hospital-a, registered at the hub. */
  static FhirStudies.Builder studyAtHospitalA() {
    FhirStudies.Builder study =
        FhirStudies.study("hospital-a", FhirStudies.mrn()).name("Teixeira", "Lia");
    HubFhir.published("ponte-node-hospital-a", study);
    return study;
  }

  /** ana.clinic (clinic-norte) retrieves a new study of hospital-a's: a cross-site retrieval. */
  static void retrievedByAClinic() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/dicomweb/studies/" + studyAtHospitalA().uidValue())
        .then()
        .statusCode(200);
  }

  @Test
  void theFiguresCountCrossSiteRetrievesAndRefusals() {
    JsonPath before = figures();
    FhirStudies.Builder study = studyAtHospitalA();
    // ana.clinic (clinic-norte) retrieves hospital-a's study: a cross-site retrieval
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/dicomweb/studies/" + study.uidValue())
        .then()
        .statusCode(200);
    // the authority sees counts, never images: its own retrieve is refused, and counted
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/dicomweb/studies/" + study.uidValue())
        .then()
        .statusCode(403);
    JsonPath after = figures();
    assertThat(count(after, "studies-per-site", "hospital-a"))
        .isEqualTo(count(before, "studies-per-site", "hospital-a") + 1);
    assertThat(count(after, "cross-site-retrievals", today()))
        .isEqualTo(count(before, "cross-site-retrievals", today()) + 1);
    assertThat(count(after, "top-organizations", "clinic-norte"))
        .isEqualTo(count(before, "top-organizations", "clinic-norte") + 1);
    assertThat(count(after, "denials", "ponte:forbidden"))
        .isEqualTo(count(before, "denials", "ponte:forbidden") + 1);
  }

  @Test
  void theAuthoritySeesTheSameNumbersOnThePageInTheCsvAndInTheApi() {
    studyAtHospitalA();
    retrievedByAClinic();
    String range = "?from=" + today() + "&to=" + today();
    WebSignIn.Signed signed = WebSignIn.signIn(url("/authority" + range), "rita.authority");
    HttpResponse<String> page = signed.landed();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<html lang=\"pt\"", "Partilha num relance", "Exames registados por local")
        .contains("Obtenções de imagens de outro local, por dia", "<caption>")
        .contains("src=\"/web/vendor/chart.umd.min.js\"", "data-chart-source=");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'");
    JsonPath api = figures();
    for (String table : List.of("cross-site-retrievals", "top-organizations", "denials")) {
      HttpResponse<String> csv =
          signed.browser().get(url("/authority/" + table + ".csv" + range), Map.of());
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      // clinicians' names and emergency reasons: never kept in a cache
      assertThat(csv.headers().firstValue("Cache-Control")).hasValue("no-store");
      List<List<String>> csvRows = new ArrayList<>();
      csv.body().lines().skip(1).forEach(l -> csvRows.add(List.of(l.split(",", -1))));
      List<List<String>> apiRows = api.getList("tables.'" + table + "'.rows");
      assertThat(csvRows).as(table).isEqualTo(apiRows);
      assertThat(counts(page.body(), table))
          .as(table + " on the page")
          .isEqualTo(apiRows.stream().map(r -> r.get(r.size() - 1)).toList());
    }
    assertThat(count(api, "cross-site-retrievals", today())).isPositive();
    // each site's node at the latest check: hospital-a's (the tiny node) answers; the other sites
    // have no node address in this profile
    assertThat(counts(page.body(), "site-status"))
        .contains("responde", "nenhum nó configurado")
        .doesNotContain("inacessível");
    // the charts' data is the same too
    HttpResponse<String> json =
        signed.browser().get(url("/authority/figures.json" + range), Map.of());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(JsonPath.from(json.body()).getList("tables.find { it.id == 'denials' }.rows"))
        .isEqualTo(api.getList("tables.denials.rows"));
  }

  @Test
  void thePublicationLagIsInWordsOnThePageAndInSecondsInTheCsv() {
    studyAtHospitalA(); // hospital-a published moments ago: a lag of seconds or minutes
    String range = "?from=" + today() + "&to=" + today();
    WebSignIn.Signed signed = WebSignIn.signIn(url("/authority" + range), "rita.authority");
    String pt = signed.landed().body();
    assertThat(pt).contains(">Desde então</th>").doesNotContain("segundos");
    assertThat(cells(pt, "site-status", "Hospital A").get(3)).matches("\\d+ (s|min( \\d+ s)?)");
    HttpResponse<String> csv =
        signed.browser().get(url("/authority/site-status.csv" + range), Map.of());
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("site,studies,last_publication,publication_lag_seconds,node");
    String hospitalA =
        lines.stream().filter(l -> l.startsWith("hospital-a,")).findFirst().orElseThrow();
    assertThat(hospitalA.split(",", -1)[3]).matches("\\d+");
    // the time of the last publication in the page's words, ISO (as in the CSV) in <time>
    String published = hospitalA.split(",", -1)[2];
    assertThat(cells(pt, "site-status", "Hospital A").get(2)).isEqualTo(published);
    String shown =
        java.time.format.DateTimeFormatter.ofLocalizedDateTime(
                java.time.format.FormatStyle.MEDIUM, java.time.format.FormatStyle.SHORT)
            .withLocale(PT)
            .withZone(ZoneId.of("Europe/Lisbon"))
            .format(java.time.Instant.parse(published));
    assertThat(pt)
        .contains(
            "<td data-label=\"Última publicação\"><time datetime=\""
                + published
                + "\">"
                + shown
                + "</time></td>");
    signed.browser().get(url("/web/locale?lang=en&next=/authority"), Map.of());
    String en = signed.browser().get(url("/authority" + range), Map.of()).body();
    assertThat(en).contains(">Since then</th>").doesNotContain("(seconds)");
    assertThat(cells(en, "site-status", "Hospital A").get(3)).matches("\\d+ (s|min( \\d+ s)?)");
  }

  /** The cells of the row of a table on the page whose first cell is {@code first}. */
  static List<String> cells(String html, String table, String first) {
    Matcher t =
        Pattern.compile("<table[^>]*id=\"table-" + table + "\".*?</table>", Pattern.DOTALL)
            .matcher(html);
    assertThat(t.find()).as(table).isTrue();
    Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(t.group());
    while (row.find()) {
      // a date or time by its machine-readable value, as the CSV has it (the page words it)
      Matcher cell =
          Pattern.compile("<td[^>]*>(?:<time datetime=\"([^\"]*)\">[^<]*</time>|([^<]*))</td>")
              .matcher(row.group(1));
      List<String> cells = new ArrayList<>();
      while (cell.find()) {
        cells.add(cell.group(1) != null ? cell.group(1) : cell.group(2));
      }
      if (!cells.isEmpty() && cells.get(0).equals(first)) {
        return cells;
      }
    }
    throw new AssertionError("no row " + first + " in " + table);
  }

  /** The last column of a table on the page, in order. */
  static List<String> counts(String html, String table) {
    Matcher t =
        Pattern.compile("<table[^>]*id=\"table-" + table + "\".*?</table>", Pattern.DOTALL)
            .matcher(html);
    if (!t.find()) {
      return List.of();
    }
    List<String> counts = new ArrayList<>();
    Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(t.group());
    while (row.find()) {
      Matcher cell = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row.group(1));
      String last = null;
      while (cell.find()) {
        last = cell.group(1);
      }
      if (last != null) {
        counts.add(last);
      }
    }
    return counts;
  }

  @Test
  void cliniciansAndPatientsGetTheForbiddenPage() {
    for (String user : List.of("ana.clinic", "maria.patient")) {
      HttpResponse<String> page = WebSignIn.signIn(url("/authority"), user).landed();
      assertThat(page.statusCode()).as(user).isEqualTo(403);
      assertThat(page.body()).as(user).doesNotContain("Exames registados por local");
    }
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/api/authority/figures")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(Tokens.user("maria.patient"))
        .get("/api/authority/figures")
        .then()
        .statusCode(403);
  }

  @Test
  void aBadDateRangeIsAClearError() {
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("from", "2026-03-01")
        .queryParam("to", "2026-02-01")
        .get("/api/authority/figures")
        .then()
        .statusCode(400)
        .contentType(containsString("application/problem+json"))
        .body("detail", containsString("reversed"));
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("from", "yesterday")
        .get("/api/authority/figures")
        .then()
        .statusCode(400)
        .body("detail", containsString("YYYY-MM-DD"));
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("from", "2020-01-01")
        .queryParam("to", "2026-01-01")
        .get("/api/authority/figures")
        .then()
        .statusCode(400)
        .body("detail", containsString("366"));
    // the page says it in its language, never the API's English detail
    WebSignIn.Signed signed =
        WebSignIn.signIn(url("/authority?from=2026-03-01&to=2026-02-01"), "rita.authority");
    HttpResponse<String> page = signed.landed();
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body())
        .contains(
            "role=\"alert\"",
            "Não foi possível mostrar os números: a data de início é posterior à data de fim.")
        .doesNotContain("<caption>", "reversed");
    assertThat(signed.browser().get(url("/authority?to=2026-13-40"), Map.of()).body())
        .contains("a data de fim não é uma data; escolha uma no calendário.")
        .doesNotContain("YYYY-MM-DD");
    signed.browser().get(url("/web/locale?lang=en&next=/authority"), Map.of());
    HttpResponse<String> en = signed.browser().get(url("/authority?from=yesterday"), Map.of());
    assertThat(en.statusCode()).isEqualTo(400);
    assertThat(en.body())
        .contains("The figures could not be shown: the start date is not a date;")
        .doesNotContain("YYYY-MM-DD");
    assertThat(
            signed.browser().get(url("/authority?from=2020-01-01&to=2026-01-01"), Map.of()).body())
        .contains("a period is at most 366 days; choose a shorter one.");
  }

  @Test
  void theDaysOfTheRetrievalsAreWrittenInThePagesLanguageAndKeptIsoInTheCsv() {
    retrievedByAClinic();
    LocalDate day = LocalDate.parse(today());
    String range = "?from=" + day + "&to=" + day;
    WebSignIn.Signed signed = WebSignIn.signIn(url("/authority" + range), "rita.authority");
    String pt =
        java.time.format.DateTimeFormatter.ofPattern("d 'de' MMMM 'de' yyyy", PT).format(day);
    assertThat(signed.landed().body())
        .contains("<td data-label=\"Dia\"><time datetime=\"" + day + "\">" + pt + "</time></td>")
        .doesNotContain("<td data-label=\"Dia\">" + day + "</td>");
    // the chart's time axis names the day in the page's language; its data keeps the ISO day
    assertThat(chartDay(signed.browser(), range, day))
        .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy").format(day));
    signed.browser().get(url("/web/locale?lang=en&next=/authority"), Map.of());
    assertThat(chartDay(signed.browser(), range, day))
        .isEqualTo(
            java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK).format(day));
    String en = java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK).format(day);
    assertThat(signed.browser().get(url("/authority" + range), Map.of()).body())
        .contains("<td data-label=\"Day\"><time datetime=\"" + day + "\">" + en + "</time></td>");
    assertThat(
            signed
                .browser()
                .get(url("/authority/cross-site-retrievals.csv" + range), Map.of())
                .body()
                .lines()
                .skip(1))
        .isNotEmpty()
        .allMatch(l -> l.startsWith(day + ","));
  }

  /** The label figures.json gives the charts for {@code day}, whose rows keep it ISO. */
  String chartDay(WebSignIn browser, String range, LocalDate day) {
    JsonPath json =
        JsonPath.from(browser.get(url("/authority/figures.json" + range), Map.of()).body());
    assertThat(
            json.getList("tables.find { it.id == 'cross-site-retrievals' }.rows.collect { it[0] }"))
        .containsOnly(day.toString());
    return json.getString("names.'" + day + "'");
  }

  @Test
  void theNodeColumnIsExplainedInWordsNotByTheMetricsName() {
    WebSignIn.Signed signed = WebSignIn.signIn(url("/authority"), "rita.authority");
    assertThat(signed.landed().body())
        .contains("a monitorização da plataforma lê a mesma resposta")
        .doesNotContain("ponte_authority_site_node_reachable");
    signed.browser().get(url("/web/locale?lang=en&next=/authority"), Map.of());
    assertThat(signed.browser().get(url("/authority"), Map.of()).body())
        .contains("monitoring reads the same answer")
        .doesNotContain("ponte_authority_site_node_reachable");
  }

  @Test
  void thePeriodIsWrittenAsDatesInThePagesLanguage() {
    WebSignIn.Signed browser =
        WebSignIn.signIn(url("/authority?from=2026-03-01&to=2026-03-31"), "rita.authority");
    assertThat(browser.landed().body())
        .contains("Números de 1 de março de 2026 a 31 de março de 2026")
        .doesNotContain("Números de 2026-03-01");
    browser.browser().get(url("/web/locale?lang=en&next=/authority"), Map.of());
    assertThat(
            browser.browser().get(url("/authority?from=2026-03-01&to=2026-03-31"), Map.of()).body())
        .contains("1 March 2026");
  }

  /** An emergency access ana.clinic opens for a fresh hospital-a patient: its id. */
  static String emergencyAccess(String reason) {
    String mrn = FhirStudies.mrn();
    HubFhir.published(
        "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).name("Teixeira", "Lia"));
    String patient = FhirStudies.mrnSystem("hospital-a") + "|" + mrn;
    return given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .contentType("application/json")
        .body(Map.of("patient", patient, "reason", reason))
        .post("/api/emergency-access")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /**
   * The browser's CSRF token, from the dashboard's review form (shown while an emergency access
   * awaits review, so there is one): a token is the browser's, any form of the hub takes it.
   */
  String csrf(WebSignIn browser) {
    emergencyAccess("a pending access, so that the dashboard shows a form");
    return WebSignIn.csrfToken(browser.get(url("/authority"), Map.of()).body());
  }

  @Test
  void theAuthorityReviewsAnEmergencyAccessAndTheReviewIsAudited() throws Exception {
    String grant = emergencyAccess("unconscious in A&E, review test");
    WebSignIn.Signed signed = WebSignIn.signIn(url("/authority"), "rita.authority");
    String html = signed.landed().body();
    // the clinician by the name her token carried when she opened the grant
    assertThat(html)
        .contains("unconscious in A&amp;E, review test", "<td data-label=\"Médico\">Ana Costa</td>")
        .doesNotContain("<td data-label=\"Médico\">ana.clinic</td>");
    String action = "/authority/emergency/" + grant + "/review";
    // without the CSRF token: refused, still pending
    HttpResponse<String> forged = signed.browser().post(url(action), Map.of("comment", "forged"));
    assertThat(forged.statusCode()).isEqualTo(400);
    String pending = signed.browser().get(url("/authority"), Map.of()).body();
    assertThat(pending).contains(grant);
    // the token of the form last shown (each page with a form signs a fresh one)
    Matcher token = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(pending);
    assertThat(token.find()).isTrue();
    // an empty comment: says why
    HttpResponse<String> empty =
        signed.browser().post(url(action), Map.of("csrf-token", token.group(1), "comment", " "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("comment");
    HttpResponse<String> done =
        signed
            .browser()
            .post(
                url(action),
                Map.of("csrf-token", token.group(1), "comment", "justified: patient unconscious"));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(WebSignIn.location(done)).contains("/authority?", "reviewed=1");
    HttpResponse<String> after = signed.browser().get(url("/authority?reviewed=1"), Map.of());
    assertThat(after.body()).contains("marcado como revisto").doesNotContain(action);
    // reviewed once only
    HttpResponse<String> again =
        signed
            .browser()
            .post(url(action), Map.of("csrf-token", csrf(signed.browser()), "comment", "again"));
    assertThat(again.statusCode()).isEqualTo(409);
    // the review is in the audit trail
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select outcome, username from audit_record where resource_type ="
                    + " 'EmergencyReview' and query = ? order by seq")) {
      ps.setString(1, "review " + grant);
      ResultSet rs = ps.executeQuery();
      List<String> outcomes = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getString(2)).isEqualTo("rita.authority");
        outcomes.add(rs.getString(1));
      }
      assertThat(outcomes).containsExactly("invalid", "success", "invalid");
    }
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("from", today())
        .queryParam("to", today())
        .get("/api/authority/figures")
        .then()
        .statusCode(200)
        .body(
            "tables.'emergency-pending'.rows.collect { it[0] }",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(grant)));
  }

  @Test
  void aRefusedReviewSaysWhyInThePagesWordsNotTheServices() {
    String grant = emergencyAccess("unconscious in A&E, refused review test");
    WebSignIn browser = WebSignIn.signIn(url("/authority"), "rita.authority").browser();
    String action = url("/authority/emergency/" + grant + "/review");
    String token = csrf(browser);
    for (String comment : List.of(" ", "x".repeat(2001))) {
      HttpResponse<String> bad =
          browser.post(action, Map.of("csrf-token", token, "comment", comment));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body())
          .contains(
              "<p class=\"error\" role=\"alert\" id=\"review-error\">A revisão não foi"
                  + " registada: escreva um comentário, com no máximo 2000 caracteres.</p>")
          .doesNotContain(
              "a review needs a comment", "at most 2000", "Não foi possível mostrar os números");
    }
    assertThat(browser.post(action, Map.of("csrf-token", token, "comment", "justified")))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    browser.get(url("/web/locale?lang=en&next=/authority"), Map.of());
    HttpResponse<String> again =
        browser.post(action, Map.of("csrf-token", token, "comment", "again"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body())
        .contains(
            "The review was not recorded: someone has already reviewed this access; it is no"
                + " longer pending.")
        .doesNotContain("is already reviewed", "The figures could not be shown");
    HttpResponse<String> unknown =
        browser.post(
            url("/authority/emergency/no-such-access/review"),
            Map.of("csrf-token", token, "comment", "justified"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .contains("The review was not recorded: there is no such emergency access.")
        .doesNotContain("no emergency access no-such-access");
  }

  @Test
  void aRefusedIdentityDecisionIsSaidInThePagesWordsNotTheServices() {
    WebSignIn browser =
        WebSignIn.signIn(url("/authority/identity?status=open"), "rita.authority").browser();
    HttpResponse<String> pt =
        browser.post(
            url("/authority/identity/999999999/link"),
            Map.of("csrf-token", csrf(browser), "note", "same address"));
    assertThat(pt.statusCode()).isEqualTo(404);
    assertThat(pt.body())
        .contains(
            "<p class=\"error\" role=\"alert\" id=\"identity-error\">Não foi possível registar"
                + " a decisão: este par já não está na lista de revisão.</p>")
        .doesNotContain("no review pair");
    browser.get(url("/web/locale?lang=en&next=/authority/identity"), Map.of());
    HttpResponse<String> en =
        browser.post(
            url("/authority/identity/999999999/reject"),
            Map.of("csrf-token", csrf(browser), "note", "different mothers"));
    assertThat(en.statusCode()).isEqualTo(404);
    assertThat(en.body())
        .contains("The decision could not be recorded: this pair is no longer on the review list.")
        .doesNotContain("no review pair");
  }

  /** A paper consent (recorded by ponte.admin) for a fresh hospital-a patient. */
  static void paperConsent(boolean permit, String... exceptOrganizations) {
    paperConsentWith(
        exceptOrganizations.length == 0
            ? "{\"type\":\"" + (permit ? "permit" : "deny") + "\"}"
            : "{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\",\"actor\":["
                + actors(exceptOrganizations)
                + "]}]}");
  }

  /** A provision's {@code actor} array naming {@code organizations} as recipients. */
  static String actors(String... organizations) {
    StringBuilder actors = new StringBuilder();
    for (String org : organizations) {
      actors
          .append(actors.length() == 0 ? "" : ",")
          .append("{\"role\":{\"coding\":[{\"system\":")
          .append("\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",")
          .append("\"code\":\"IRCP\"}]},\"reference\":{\"reference\":\"Organization/")
          .append(org)
          .append("\"}}");
    }
    return actors.toString();
  }

  /** A paper consent with the given {@code provision} for a fresh hospital-a patient. */
  static void paperConsentWith(String provision) {
    String mrn = FhirStudies.mrn();
    HubFhir.published(
        "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).name("Teixeira", "Lia"));
    String consent =
        "{\"resourceType\":\"Consent\",\"status\":\"active\","
            + "\"scope\":{\"coding\":[{\"system\":\""
            + ConsentValidator.SCOPE_SYSTEM
            + "\",\"code\":\""
            + ConsentValidator.SCOPE_PRIVACY
            + "\"}]},\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\","
            + "\"code\":\"59284-0\"}]}],\"patient\":{\"identifier\":{\"system\":\""
            + FhirStudies.mrnSystem("hospital-a")
            + "\",\"value\":\""
            + mrn
            + "\"}},\"dateTime\":\""
            + java.time.Instant.now()
            + "\",\"policy\":[{\"uri\":\""
            + ConsentValidator.POLICY_OPT_OUT
            + "\"}],\"provision\":"
            + provision
            + "}";
    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType("application/fhir+json")
        .body(consent)
        .post("/fhir/Consent")
        .then()
        .statusCode(201);
  }

  static long choices(JsonPath f, String site, String choice) {
    List<List<String>> rows = f.getList("tables.'consent-choices'.rows");
    return rows.stream()
        .filter(r -> r.get(0).equals(site) && r.get(1).equals(choice))
        .mapToLong(r -> Long.parseLong(r.get(2)))
        .sum();
  }

  @Test
  void anEmptyIdentityReviewSaysSoInWordsInBothLanguages() {
    // The matcher is off in this profile: no pair is ever proposed, so none awaits review.
    WebSignIn browser =
        WebSignIn.signIn(url("/authority/identity?status=open"), "rita.authority").browser();
    String pt = browser.get(url("/authority/identity?status=open"), Map.of()).body();
    assertThat(pt)
        .contains("<p class=\"empty\" id=\"no-pairs\">Nenhum par aguarda revisão.</p>")
        .doesNotContain("<table");
    browser.get(url("/web/locale?lang=en&next=/authority/identity"), Map.of());
    String en = browser.get(url("/authority/identity?status=open"), Map.of()).body();
    assertThat(en)
        .contains("<p class=\"empty\" id=\"no-pairs\">No pair awaits review.</p>")
        .doesNotContain("<table");
  }

  @Test
  void aBadIdentityReviewFilterIsSaidInThePagesWordsNotTheApis() {
    WebSignIn browser =
        WebSignIn.signIn(url("/authority/identity?status=open"), "rita.authority").browser();
    HttpResponse<String> status =
        browser.get(url("/authority/identity?status=everything"), Map.of());
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body())
        .contains(
            "<p class=\"error\" role=\"alert\" id=\"identity-error\">Não existe essa lista de"
                + " pares; escolha uma das listas acima.</p>")
        .doesNotContain("status is one of", "Não foi possível registar a decisão");
    browser.get(url("/web/locale?lang=en&next=/authority/identity"), Map.of());
    HttpResponse<String> offset =
        browser.get(url("/authority/identity?status=open&offset=-20"), Map.of());
    assertThat(offset.statusCode()).isEqualTo(400);
    assertThat(offset.body())
        .contains("There is no such page of this list; start from its first page.")
        .doesNotContain("_offset", "The decision could not be recorded");
  }

  @Test
  void anIdentityReviewAnotherSiteSentHerToAsksFirstAndAuditsNothingUntilSheGoesOn()
      throws Exception {
    // The list shows people whatever its address says, so even the bare address asks.
    WebSignIn browser =
        WebSignIn.signIn(url("/authority/identity?status=open"), "rita.authority").browser();
    for (String path : List.of("/authority/identity", "/authority/identity?status=rejected")) {
      for (String from : List.of("cross-site", "same-site")) {
        long before = AuditRows.maxSeq();
        HttpResponse<String> asked = browser.get(url(path), Map.of("Sec-Fetch-Site", from));
        assertThat(asked.statusCode()).as(path).isEqualTo(200);
        assertThat(asked.body())
            .as(path)
            .contains(
                "Abrir esta lista de utentes?",
                "id=\"elsewhere-continue\" href=\"" + path.replace("&", "&amp;") + "\"")
            .doesNotContain("id=\"pairs\"", "no-pairs");
        assertThat(asked.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(auditedForRitaSince(before)).as(path + " from " + from).isEmpty();
      }
    }
    for (String from : List.of("same-origin", "none")) {
      long before = AuditRows.maxSeq();
      HttpResponse<String> opened =
          browser.get(url("/authority/identity"), Map.of("Sec-Fetch-Site", from));
      assertThat(opened.body()).contains("no-pairs").doesNotContain("elsewhere-continue");
      assertThat(auditedForRitaSince(before)).as(from).containsExactly("search Patient");
    }
    // her dashboard shows counts, not people: it opens as ever
    assertThat(browser.get(url("/authority"), Map.of("Sec-Fetch-Site", "cross-site")).body())
        .doesNotContain("elsewhere-continue");
  }

  /** rita.authority's audit records after {@code seq}: "action resource-type" each. */
  static List<String> auditedForRitaSince(long seq) throws Exception {
    return AuditRows.after(seq).stream()
        .filter(row -> "rita.authority".equals(row.get("username")))
        .map(row -> row.get("action") + " " + row.get("resource_type"))
        .toList();
  }

  @Test
  void anIdentityReviewTheAuditCannotRecordIsRefusedAsSuchNotAsABadFilter() throws Exception {
    // A valid list whose search cannot be audited: the service's 503, not the page's words for a
    // status or offset typed into the address bar (those are for its 400s only).
    WebSignIn browser =
        WebSignIn.signIn(url("/authority/identity?status=open"), "rita.authority").browser();
    HttpResponse<String> refused;
    // As the owner: the hub's own role may not rename the audit table.
    try (Connection c = TestDatabases.asOwner(ds);
        Statement s = c.createStatement()) {
      s.execute("alter table audit_record rename to audit_record_offline");
      try {
        refused = browser.get(url("/authority/identity?status=open&offset=0"), Map.of());
      } finally {
        s.execute("alter table audit_record_offline rename to audit_record");
      }
    }
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(refused.body())
        .contains("ponte:audit-unavailable")
        .doesNotContain("identity-error", "Não existe essa", "There is no such");
  }

  @Test
  void theSharingChoicesAreCountedPerSite() {
    JsonPath before = figures();
    paperConsent(false);
    paperConsent(true, "clinic-norte");
    JsonPath after = figures();
    assertThat(choices(after, "hospital-a", "share-nothing"))
        .isEqualTo(choices(before, "hospital-a", "share-nothing") + 1);
    assertThat(choices(after, "hospital-a", "share-except"))
        .isEqualTo(choices(before, "hospital-a", "share-except") + 1);
  }

  @Test
  void aDenyNamingOneOrganisationIsAllExceptItNotNothing() {
    // The demo's paper form (Hélène Dubois): a deny naming Hospital B refuses Hospital B only.
    JsonPath before = figures();
    paperConsentWith("{\"type\":\"deny\",\"actor\":[" + actors("hospital-b") + "]}");
    JsonPath after = figures();
    assertThat(choices(after, "hospital-a", "share-except"))
        .isEqualTo(choices(before, "hospital-a", "share-except") + 1);
    assertThat(choices(after, "hospital-a", "share-nothing"))
        .isEqualTo(choices(before, "hospital-a", "share-nothing"));
  }

  @Test
  void theFiguresAreAlsoPrometheusMetrics() throws Exception {
    studyAtHospitalA();
    paperConsent(false);
    // a refusal, so that the denials gauge has a row
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/dicomweb/studies/" + studyAtHospitalA().uidValue())
        .then()
        .statusCode(403);
    metrics.refresh();
    String scrape =
        given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
    assertThat(scrape)
        .contains("ponte_authority_studies_registered{site=\"hospital-a\"}")
        .contains("ponte_authority_emergency_pending_review")
        .contains("ponte_authority_cross_site_retrievals_30d")
        .contains("ponte_authority_publication_lag_seconds{site=\"hospital-a\"}")
        .contains("ponte_authority_site_node_reachable{site=\"hospital-a\"} 1.0");
    // every ponte_authority_* metric the Grafana dashboard in docs/ charts exists
    String grafana =
        java.nio.file.Files.readString(java.nio.file.Path.of("docs/grafana-authority.json"));
    Matcher names = Pattern.compile("ponte_authority_\\w+").matcher(grafana);
    int found = 0;
    while (names.find()) {
      assertThat(scrape).as(names.group()).contains(names.group());
      found++;
    }
    assertThat(found).isGreaterThanOrEqualTo(7);
  }
}
