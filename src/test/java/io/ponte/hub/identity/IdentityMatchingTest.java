package io.ponte.hub.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.hub.consent.ConsentValidator;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Management;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Publication links one person's local patients (by a stated regional id or by score), puts
 * uncertain pairs on the authority's review list, and PIXm answers from the links; reviewers link,
 * reject (remembered) and unlink (kept in the history); consent follows the links; nobody else may
 * review.
 */
@QuarkusTest
@TestProfile(IdentityMatchTestProfile.class)
class IdentityMatchingTest {

  static final String A = "ponte-node-hospital-a";
  static final String B = "ponte-node-hospital-b";
  static final SecureRandom RANDOM = new SecureRandom();

  /** A family name no other test uses, so that only this test's patients can match. */
  static String family() {
    StringBuilder b = new StringBuilder("Q");
    for (int i = 0; i < 7; i++) {
      b.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return b.toString();
  }

  /**
   * The first publication waits for the FHIR validator to warm up; on a loaded machine that
   * outlasts the HTTP test timeout, so wait for readiness (which includes the validator) first.
   */
  static boolean ready;

  @org.junit.jupiter.api.BeforeEach
  void ready() throws InterruptedException {
    awaitReady();
  }

  static void awaitReady() throws InterruptedException {
    if (ready) {
      return;
    }
    ready = true;
    long until = System.nanoTime() + 300_000_000_000L;
    while (given().get(Management.url("/q/health/ready")).statusCode() != 200
        && System.nanoTime() < until) {
      Thread.sleep(1000);
    }
  }

  static String birthDate() {
    return String.format(
        "19%02d-%02d-%02d",
        20 + RANDOM.nextInt(79), 1 + RANDOM.nextInt(12), 13 + RANDOM.nextInt(15));
  }

  static String publish(String node, String site, String family, String given, String born) {
    String mrn = FhirStudies.mrn();
    HubFhir.published(
        node,
        FhirStudies.study(site, mrn).name(family, given).born(born, AdministrativeGender.FEMALE));
    return mrn;
  }

  static JsonPath pix(String user, String source, String... targetSystems) {
    var request = given().auth().oauth2(Tokens.user(user)).queryParam("sourceIdentifier", source);
    for (String t : targetSystems) {
      request.queryParam("targetSystem", t);
    }
    return request.get("/fhir/Patient/$ihe-pix").then().statusCode(200).extract().jsonPath();
  }

  static String token(String site, String mrn) {
    return FhirStudies.mrnSystem(site) + "|" + mrn;
  }

  static List<String> targetValues(JsonPath pix) {
    return pix.getList("parameter.findAll { it.name == 'targetIdentifier' }.valueIdentifier.value");
  }

  static String regionalIdIn(JsonPath pix) {
    return pix.getString(
        "parameter.find { it.name == 'targetIdentifier' && it.valueIdentifier.system =="
            + " 'urn:ponte:regional-id' }.valueIdentifier.value");
  }

  /** The open review pair of these two MRNs, as the authority sees it. */
  static Map<String, Object> openPair(String mrnA, String mrnB) {
    List<Map<String, Object>> pairs =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .queryParam("_count", 200)
            .get("/api/identity/candidates")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("pairs");
    return pairs.stream()
        .filter(
            p -> {
              String a = ((Map<?, ?>) p.get("a")).get("value").toString();
              String b = ((Map<?, ?>) p.get("b")).get("value").toString();
              return (a.equals(mrnA) && b.equals(mrnB)) || (a.equals(mrnB) && b.equals(mrnA));
            })
        .findFirst()
        .orElse(null);
  }

  @Test
  void theSamePersonSpelledTwoWaysIsLinkedOnPublicationAndPixmFindsHer() {
    String family = family();
    String born = birthDate();
    String mrnA = publish(A, "hospital-a", "Gonçalves " + family, "Maria", born);
    // hospital-b writes her without accents, upper case, given name first
    String mrnB = publish(B, "hospital-b", "MARIA", "GONCALVES " + family.toUpperCase(), born);

    JsonPath pix = pix("ana.clinic", token("hospital-a", mrnA));
    assertThat(targetValues(pix)).contains(mrnB).doesNotContain(mrnA);
    String regionalId = regionalIdIn(pix);
    assertThat(regionalId).startsWith("REG-M");
    assertThat(pix.getList("parameter.findAll { it.name == 'targetId' }.valueReference.reference"))
        .hasSize(1);
    // targetSystem narrows the answer to one domain
    JsonPath onlyB =
        pix("ponte.admin", token("hospital-b", mrnB), FhirStudies.mrnSystem("hospital-a"));
    assertThat(targetValues(onlyB)).containsExactly(mrnA);
    // the regional id is a source too, and PDQm finds the person's Patients by it
    assertThat(targetValues(pix("rita.authority", "urn:ponte:regional-id|" + regionalId)))
        .containsExactlyInAnyOrder(mrnA, mrnB);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", "urn:ponte:regional-id|" + regionalId)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body(
            "entry.resource.identifier.value.flatten()",
            org.hamcrest.Matchers.hasItems(mrnA, mrnB));
    // the history names the matcher and its reasons
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/api/identity/history/" + regionalId)
        .then()
        .statusCode(200)
        .body("", hasSize(2))
        .body("[0].by", equalTo(PatientMatcher.MATCHER))
        .body("[0].method", equalTo("scored"))
        .body("[1].reason", containsString("birth date exact"));
  }

  @Test
  void aSiteStatingTheRegionalIdLinksDeterministically() {
    String regionalId = "REG-T" + family().substring(1).toUpperCase();
    String mrn = FhirStudies.mrn();
    HubFhir.published(
        A, FhirStudies.study("hospital-a", mrn).name(family(), "Ana").regionalId(regionalId));
    JsonPath pix = pix("ana.clinic", "urn:ponte:regional-id|" + regionalId);
    assertThat(targetValues(pix)).containsExactly(mrn);
  }

  @Test
  void twinsAreNotLinked() {
    String family = family();
    String born = birthDate();
    String ana = publish(A, "hospital-a", family, "Ana", born);
    String rita = publish(B, "hospital-b", family, "Rita", born);
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", ana)))).isEmpty();
    assertThat(openPair(ana, rita)).isNull();
  }

  @Test
  void anUncertainPairIsReviewedLinkedUnlinkedAndLinkedAgain() {
    String family = family();
    String mrnA = publish(A, "hospital-a", family, "Teresa", "1961-03-14");
    // one digit of the birth date differs: worth a look, not an automatic link
    String mrnB = publish(B, "hospital-b", family, "Teresa", "1961-08-14");
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", mrnA)))).isEmpty();
    Map<String, Object> pair = openPair(mrnA, mrnB);
    assertThat(pair).isNotNull();
    assertThat(pair.get("reasons").toString()).contains("birth date one digit apart");
    assertThat(((Map<?, ?>) pair.get("a")).get("birthDate")).isNotNull();
    Number id = (Number) pair.get("id");

    String regionalId =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .contentType("application/json")
            .body(Map.of("note", "same address and phone in both records"))
            .post("/api/identity/candidates/" + id + "/link")
            .then()
            .statusCode(200)
            .body("status", equalTo("accepted"))
            .body("reviewedBy", equalTo("rita.authority"))
            .extract()
            .path("a.regionalId");
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", mrnA)))).contains(mrnB);

    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType("application/json")
        .body(Map.of("system", FhirStudies.mrnSystem("hospital-b"), "value", mrnB, "note", "error"))
        .post("/api/identity/unlink")
        .then()
        .statusCode(200)
        .body("identifiers.value", org.hamcrest.Matchers.contains(mrnA));
    assertThat(targetValues(pix("ana.clinic", token("hospital-a", mrnA))))
        .containsExactly(regionalId);
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/api/identity/history/" + regionalId)
        .then()
        .statusCode(200)
        .body("action", org.hamcrest.Matchers.contains("link", "link", "unlink"))
        .body("[2].value", equalTo(mrnB));
    // the unlinked pair is remembered as two persons, and can be linked again
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("status", "rejected")
        .queryParam("_count", 200)
        .get("/api/identity/candidates")
        .then()
        .statusCode(200)
        .body("pairs.id", org.hamcrest.Matchers.hasItem(id.intValue()));
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of())
        .post("/api/identity/candidates/" + id + "/link")
        .then()
        .statusCode(200)
        .body("b.regionalId", equalTo(regionalId));
  }

  @Test
  void aRejectedPairIsNotProposedAgain() {
    String family = family();
    String mrnA = publish(A, "hospital-a", family, "Lucia", "1955-02-20");
    String mrnB = publish(B, "hospital-b", family, "Lucia", "1955-02-28");
    Map<String, Object> pair = openPair(mrnA, mrnB);
    assertThat(pair).isNotNull();
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of("note", "different mothers' names"))
        .post("/api/identity/candidates/" + pair.get("id") + "/reject")
        .then()
        .statusCode(200)
        .body("status", equalTo("rejected"));
    // hospital-b describes her anew (accent added): the matcher runs again, and stays quiet
    HubFhir.published(
        B,
        FhirStudies.study("hospital-b", mrnB)
            .name(family, "Lúcia")
            .born("1955-02-28", AdministrativeGender.FEMALE));
    assertThat(openPair(mrnA, mrnB)).isNull();
    assertThat(targetValues(pix("ana.clinic", token("hospital-b", mrnB)))).isEmpty();
  }

  @Test
  void consentFollowsTheLinks() {
    String family = family();
    String born = birthDate();
    String mrnA = publish(A, "hospital-a", family, "Helena", born);
    String mrnB = publish(B, "hospital-b", family, "Helena", born);
    String patientB = token("hospital-b", mrnB);
    assertThat(regionalIdIn(pix("ana.clinic", patientB)))
        .as("linked, before her consent")
        .isNotNull();
    // She shares nothing, stated at hospital-a: once linked, that covers her hospital-b record.
    Consent deny = new Consent();
    deny.setStatus(Consent.ConsentState.ACTIVE);
    deny.setScope(
        new CodeableConcept(
            new Coding(ConsentValidator.SCOPE_SYSTEM, ConsentValidator.SCOPE_PRIVACY, null)));
    deny.addCategory(new CodeableConcept(new Coding(ConsentValidator.LOINC, "59284-0", null)));
    deny.setPatient(
        new Reference()
            .setIdentifier(
                new Identifier().setSystem(FhirStudies.mrnSystem("hospital-a")).setValue(mrnA)));
    deny.setDateTime(Date.from(Instant.now()));
    deny.addPolicy().setUri(ConsentValidator.POLICY_OPT_OUT);
    deny.getProvision().setType(Consent.ConsentProvisionType.DENY);
    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType(HubFhir.FHIR_JSON)
        .body(FhirContextProducer.r4().newJsonParser().encodeResourceToString(deny))
        .post("/fhir/Consent")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", patientB)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.findAll { it.resource.resourceType == 'Patient' }", hasSize(0));
    // Nor does PIXm give her cross-site identifiers away: no other record, no regional id.
    JsonPath withheld = pix("ana.clinic", patientB);
    assertThat(targetValues(withheld)).isEmpty();
    assertThat(regionalIdIn(withheld)).isNull();
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of("system", FhirStudies.mrnSystem("hospital-b"), "value", mrnB))
        .post("/api/identity/unlink")
        .then()
        .statusCode(200);
    // unlinked, her hospital-b record is no longer hers as far as the hub knows
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", patientB)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.findAll { it.resource.resourceType == 'Patient' }", hasSize(1));
  }

  @Test
  void pixmAnswersErrorsAsTheProfileSays() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("sourceIdentifier", token("hospital-a", "NO-SUCH-MRN"))
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("not-found"))
        .body(
            "issue[0].diagnostics",
            containsString("sourceIdentifier Patient Identifier not found"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("sourceIdentifier", "urn:example:nowhere|1")
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(400)
        .body(
            "issue[0].diagnostics",
            containsString("sourceIdentifier Assigning Authority not found"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("sourceIdentifier", token("hospital-a", "X"))
        .queryParam("targetSystem", "urn:example:nowhere")
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(403)
        .body("issue[0].diagnostics", containsString("targetSystem not found"));
    for (String malformed : List.of("no-bar", "|value", "system|")) {
      given()
          .auth()
          .oauth2(Tokens.user("ana.clinic"))
          .queryParam("sourceIdentifier", malformed)
          .get("/fhir/Patient/$ihe-pix")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
    }
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(Tokens.user("maria.patient"))
        .queryParam("sourceIdentifier", token("hospital-a", "X"))
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(403);
    given()
        .queryParam("sourceIdentifier", token("hospital-a", "X"))
        .get("/fhir/Patient/$ihe-pix")
        .then()
        .statusCode(401);
  }

  @Test
  void onlyTheAuthorityAndAdminsReview() {
    for (String user : List.of("ana.clinic", "maria.patient")) {
      String token = Tokens.user(user);
      given()
          .auth()
          .oauth2(token)
          .get("/api/identity/candidates")
          .then()
          .statusCode(403)
          .contentType(startsWith("application/problem+json"));
      given()
          .auth()
          .oauth2(token)
          .contentType("application/json")
          .body(Map.of())
          .post("/api/identity/candidates/1/link")
          .then()
          .statusCode(403);
      given()
          .auth()
          .oauth2(token)
          .contentType("application/json")
          .body(Map.of())
          .post("/api/identity/candidates/1/reject")
          .then()
          .statusCode(403);
      given()
          .auth()
          .oauth2(token)
          .contentType("application/json")
          .body(Map.of("system", FhirStudies.mrnSystem("hospital-a"), "value", "X"))
          .post("/api/identity/unlink")
          .then()
          .statusCode(403);
      given().auth().oauth2(token).get("/api/identity/history/REG-000001").then().statusCode(403);
    }
    given().get("/api/identity/candidates").then().statusCode(401);
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("status", "maybe")
        .get("/api/identity/candidates")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .contentType("application/json")
        .body(Map.of())
        .post("/api/identity/candidates/999999999/link")
        .then()
        .statusCode(404);
  }
}
