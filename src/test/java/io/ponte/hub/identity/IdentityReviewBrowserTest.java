package io.ponte.hub.identity;

import static io.ponte.hub.identity.IdentityMatchingTest.A;
import static io.ponte.hub.identity.IdentityMatchingTest.B;
import static io.ponte.hub.identity.IdentityMatchingTest.family;
import static io.ponte.hub.identity.IdentityMatchingTest.openPair;
import static io.ponte.hub.identity.IdentityMatchingTest.pix;
import static io.ponte.hub.identity.IdentityMatchingTest.publish;
import static io.ponte.hub.identity.IdentityMatchingTest.targetValues;
import static io.ponte.hub.identity.IdentityMatchingTest.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.ponte.testing.browser.BrowserScripts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rita.authority in a real browser (Debian's chromium through playwright-core) decides two
 * uncertain identity matches on /authority/identity, keyboard only: links one pair and keeps the
 * other apart. The story is src/test/browser/specs/identity-review.js; here the decisions are
 * checked through the API and PIXm (the page goes through the same review service, so the same
 * audit and rules).
 */
@QuarkusTest
@TestProfile(IdentityMatchTestProfile.class)
class IdentityReviewBrowserTest {

  @TestHTTPResource("/")
  URL hub;

  @BeforeEach
  void ready() throws InterruptedException {
    IdentityMatchingTest.awaitReady();
  }

  @Test
  void theMatchersReasonsAreInThePagesLanguage() {
    String family = family();
    // one digit of the birth date apart: proposed for review, with the matcher's reasons
    String a = publish(A, "hospital-a", family, "Rosa", "1958-04-12");
    String b = publish(B, "hospital-b", family, "Rosa", "1958-04-17");
    assertThat(openPair(a, b)).as("pair on the review list").isNotNull();
    String page = hub.toString().replaceAll("/$", "") + "/authority/identity?status=open";
    WebSignIn browser = WebSignIn.signIn(page, "rita.authority").browser();
    assertThat(browser.get(page, Map.of()).body())
        .contains("nome 1,00 (", "data de nascimento com um dígito diferente", "mesmo sexo")
        .doesNotContain("birth date one digit apart", "sex same");
    browser.get(
        hub.toString().replaceAll("/$", "") + "/web/locale?lang=en&next=/authority/identity",
        Map.of());
    assertThat(browser.get(page, Map.of()).body())
        .contains("name 1.00 (", "birth date one digit apart", "same sex");
  }

  @Test
  void aDecidedPairNamesItsReviewerByNameNotUsername() {
    String family = family();
    String a = publish(A, "hospital-a", family, "Clara", "1966-09-03");
    String b = publish(B, "hospital-b", family, "Clara", "1966-09-08");
    Map<String, Object> pair = openPair(a, b);
    assertThat(pair).as("pair on the review list").isNotNull();
    String note = "different mothers names " + Long.toString(System.nanoTime(), 36);
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of("note", note))
        .post("/api/identity/candidates/" + pair.get("id") + "/reject")
        .then()
        .statusCode(200)
        // the API keeps the username (a stable id) and adds the name her token carried
        .body("reviewedBy", org.hamcrest.Matchers.equalTo("rita.authority"))
        .body("reviewedByName", org.hamcrest.Matchers.equalTo("Rita Ferreira"));
    String page = hub.toString().replaceAll("/$", "") + "/authority/identity?status=rejected";
    String html = WebSignIn.signIn(page, "rita.authority").browser().get(page, Map.of()).body();
    assertThat(html).containsPattern("Decidido por Rita Ferreira em [^<]*: " + note);
  }

  @Test
  void aRefusedDecisionSaysWhyInThePagesWordsNotTheServices() {
    String family = family();
    String a = publish(A, "hospital-a", family, "Graça", "1970-05-11");
    String b = publish(B, "hospital-b", family, "Graça", "1970-05-16");
    Map<String, Object> pair = openPair(a, b);
    assertThat(pair).as("pair on the review list").isNotNull();
    String base = hub.toString().replaceAll("/$", "");
    WebSignIn browser = WebSignIn.signIn(base + "/authority/identity", "rita.authority").browser();
    // the form holds no more than the service takes
    String form = browser.get(base + "/authority/identity", Map.of()).body();
    assertThat(form).contains("name=\"note\" rows=\"2\" maxlength=\"500\"");
    String token = WebSignIn.csrfToken(form);
    String reject = base + "/authority/identity/" + pair.get("id") + "/reject";
    HttpResponse<String> tooLong =
        browser.post(reject, Map.of("csrf-token", token, "note", "x".repeat(501)));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body())
        .contains(
            "Não foi possível registar a decisão: uma nota tem no máximo 500 caracteres;"
                + " encurte-a.")
        .doesNotContain("a note is at most");
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of("note", "same phone"))
        .post("/api/identity/candidates/" + pair.get("id") + "/link")
        .then()
        .statusCode(200);
    HttpResponse<String> linked =
        browser.post(reject, Map.of("csrf-token", token, "note", "different mothers"));
    assertThat(linked.statusCode()).isEqualTo(409);
    assertThat(linked.body())
        .contains(
            "Não foi possível registar a decisão: os dois utentes já estão ligados como uma só"
                + " pessoa; desligue antes um deles pela API de identidades.")
        .doesNotContain("unlink one of them instead");
    browser.get(base + "/web/locale?lang=en&next=/authority/identity", Map.of());
    assertThat(browser.post(reject, Map.of("csrf-token", token, "note", "again")).body())
        .contains(
            "The decision could not be recorded: the two patients are already linked as one"
                + " person; unlink one of them through the identity API instead.");
  }

  @Test
  void theAuthorityLinksOnePairAndKeepsAnotherApart() throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before changing anything
    String family = family();
    // one digit of the birth date apart: on the review list, not linked on their own
    String linkA = publish(A, "hospital-a", family, "Teresa", "1961-03-14");
    String linkB = publish(B, "hospital-b", family, "Teresa", "1961-08-14");
    String otherFamily = family();
    String apartA = publish(A, "hospital-a", otherFamily, "Inês", "1975-02-21");
    String apartB = publish(B, "hospital-b", otherFamily, "Inês", "1975-02-27");
    Map<String, Object> toLink = openPair(linkA, linkB);
    Map<String, Object> toReject = openPair(apartA, apartB);
    assertThat(toLink).as("pair to link is on the review list").isNotNull();
    assertThat(toReject).as("pair to reject is on the review list").isNotNull();

    String linkNote = "same address and phone " + Long.toString(System.nanoTime(), 36);
    String rejectNote = "different mothers' names " + Long.toString(System.nanoTime(), 36);
    BrowserScripts.run(
        "identity-review",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username",
                    "rita.authority",
                    "reviewer",
                    "Rita Ferreira",
                    "link",
                    Map.of("identifier", linkB, "note", linkNote),
                    "reject",
                    Map.of("identifier", apartB, "note", rejectNote))));

    assertThat(decided(toLink, "accepted"))
        .containsEntry("reviewedBy", "rita.authority")
        .containsEntry("note", linkNote);
    assertThat(decided(toReject, "rejected"))
        .containsEntry("reviewedBy", "rita.authority")
        .containsEntry("note", rejectNote);
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", linkA)))).contains(linkB);
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", apartA)))).doesNotContain(apartB);
    for (String name : List.of("identity-review-pt", "identity-review-en")) {
      assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve(name + ".png"))).isPositive();
    }
  }

  @Test
  void aClinicianIsShownTheDoorPolitely() throws Exception {
    BrowserScripts.run(
        "wrong-role",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username", "ana.clinic",
                    "path", "/authority/identity",
                    "heading", "Acesso não permitido")));
  }

  /** The pair as the API lists it under {@code status}. */
  private static Map<String, Object> decided(Map<String, Object> pair, String status) {
    List<Map<String, Object>> pairs =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .queryParam("status", status)
            .queryParam("_count", 200)
            .get("/api/identity/candidates")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("pairs");
    return pairs.stream()
        .filter(p -> p.get("id").equals(pair.get("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("pair " + pair.get("id") + " not " + status));
  }
}
