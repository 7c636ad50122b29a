package io.ponte.hub.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.CoreValidator;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AuditEvent search: BALP AuditEvents valid against R4 core, for the authority (Bundle and CSV,
 * keyset pages), a patient about themselves only, nobody else; bad input is an OperationOutcome.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditEventSearchTest {

  @Inject FhirValidation validation;

  String studyUid;
  String requestId;

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user));
  }

  /** A study of maria.patient (REG-000001), read by a clinician under a request id of ours. */
  @BeforeEach
  void aClinicianReadsMariasStudy() throws Exception {
    validation.warm();
    String mrn = FhirStudies.mrn();
    FhirStudies.Builder study = FhirStudies.study("hospital-a", mrn).name("Souza", "Maria");
    String id = HubFhir.published("ponte-node-hospital-a", study);
    studyUid = study.uidValue();
    try (Connection c = TestDatabases.asOwner("ponte_hub_test")) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into regional_person (regional_id, created_at, updated_at)"
                  + " values ('REG-000001', now(), now()) on conflict do nothing")) {
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into identity_link (patient_id, regional_id, method, linked_at, linked_by)"
                  + " select id, 'REG-000001', 'manual', now(), 'test' from patient"
                  + " where identifier_value = ?")) {
        ps.setString(1, mrn);
        ps.executeUpdate();
      }
    }
    requestId = "audit-search-" + System.nanoTime();
    as("ana.clinic")
        .header("X-Request-Id", requestId)
        .header(Actors.PURPOSE_HEADER, "emergency")
        .get("/fhir/ImagingStudy/" + id)
        .then()
        .statusCode(200);
  }

  static Bundle bundle(Response r) {
    return io.ponte.fhir.FhirContextProducer.r4()
        .newJsonParser()
        .parseResource(Bundle.class, r.asString());
  }

  @Test
  void theAuthorityFindsTheReadAsAValidBalpAuditEvent() {
    Response r = as("rita.authority").get("/fhir/AuditEvent?entity=" + studyUid + "&subtype=read");
    r.then().statusCode(200).contentType("application/fhir+json");
    Bundle b = bundle(r);
    assertThat(b.getEntry()).hasSize(1);
    AuditEvent e = (AuditEvent) b.getEntryFirstRep().getResource();
    assertThat(CoreValidator.full().errors(e)).isEmpty();
    assertThat(e.getType().getCode()).isEqualTo("rest");
    assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("read");
    assertThat(e.getOutcome().toCode()).isEqualTo("0");
    assertThat(e.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("ETREAT");
    AuditEvent.AuditEventAgentComponent user = e.getAgentFirstRep();
    assertThat(user.getRequestor()).isTrue();
    assertThat(user.getAltId()).isEqualTo("ana.clinic");
    assertThat(user.getName()).as("her name, recorded when she read").isEqualTo("Ana Costa");
    assertThat(user.getWho().getIdentifier().getSystem()).contains("/realms/ponte");
    assertThat(user.getPolicy()).as("the token's jti").hasSize(1);
    assertThat(e.getAgent())
        .anySatisfy(
            a -> assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("clinic-norte"));
    assertThat(e.getEntity())
        .anySatisfy(en -> assertThat(en.getWhat().getReference()).startsWith("Patient/"))
        .anySatisfy(
            en ->
                assertThat(en.getWhat().getIdentifier().getValue())
                    .isEqualTo("urn:oid:" + studyUid))
        .anySatisfy(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo(requestId));
    // The same by agent, purpose, outcome and date range; and nothing for another outcome.
    assertThat(
            bundle(
                    as("rita.authority")
                        .get(
                            "/fhir/AuditEvent?agent=ana.clinic&purpose=ETREAT&outcome=0"
                                + "&date=ge2020-01-01&date=le2099-12-31&type=rest&entity="
                                + requestId))
                .getEntry())
        .hasSize(1);
    assertThat(
            bundle(as("ponte.admin").get("/fhir/AuditEvent?outcome=8&entity=" + studyUid))
                .getEntry())
        .isEmpty();
  }

  @Test
  void pagesByKeysetAndExportsTheSameRowsAsCsv() {
    Bundle first = bundle(as("rita.authority").get("/fhir/AuditEvent?_count=1&entity=" + studyUid));
    assertThat(first.getEntry()).hasSize(1);
    String next = first.getLink("next").getUrl();
    assertThat(next).contains("_cursor=");
    String path = next.substring(next.indexOf("/fhir/AuditEvent"));
    Bundle second = bundle(as("rita.authority").get(path));
    assertThat(second.getEntry()).hasSize(1);
    assertThat(second.getEntryFirstRep().getResource().getIdPart())
        .isNotEqualTo(first.getEntryFirstRep().getResource().getIdPart());

    String csv =
        as("rita.authority")
            .get("/fhir/AuditEvent?_format=csv&entity=" + studyUid)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).startsWith("id,recorded,type,subtype,outcome");
    Bundle all = bundle(as("rita.authority").get("/fhir/AuditEvent?entity=" + studyUid));
    assertThat(lines).hasSize(all.getEntry().size() + 1);
    assertThat(
            as("rita.authority")
                .accept("text/csv")
                .get("/fhir/AuditEvent?entity=" + requestId)
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .contains(requestId);
  }

  @Test
  void aPatientReadsTheEventsAboutThemselvesOnly() {
    Bundle mine = bundle(as("maria.patient").get("/fhir/AuditEvent?subtype=read&_count=1000"));
    assertThat(mine.getEntry())
        .anySatisfy(
            en ->
                assertThat(((AuditEvent) en.getResource()).getEntity())
                    .anySatisfy(
                        x ->
                            assertThat(x.getWhat().getIdentifier().getValue())
                                .isEqualTo(requestId)));
    // Everything she sees is about her.
    assertThat(mine.getEntry())
        .allSatisfy(
            en ->
                assertThat(((AuditEvent) en.getResource()).getEntity())
                    .anySatisfy(
                        x ->
                            assertThat(
                                    x.getWhat().getReference() != null
                                        || "REG-000001"
                                            .equals(x.getWhat().getIdentifier().getValue()))
                                .isTrue()));
    as("maria.patient")
        .get("/fhir/AuditEvent?patient=someone-else")
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void aPatientSeesOfASearchRecordOnlyHerPartOfIt() {
    FhirStudies.Builder other =
        FhirStudies.study("hospital-a", FhirStudies.mrn()).name("Estranho", "Rui");
    HubFhir.published("ponte-node-hospital-a", other);
    // One search that finds her study and someone else's: one record naming both patients, both
    // studies, and the query text (which names the other study too).
    String searchId = "audit-both-" + System.nanoTime();
    as("ana.clinic")
        .header("X-Request-Id", searchId)
        .get("/dicomweb/studies?StudyInstanceUID=" + studyUid + "," + other.uidValue())
        .then()
        .statusCode(200);

    // The authority sees it whole.
    AuditEvent whole = onlyEvent(as("rita.authority").get("/fhir/AuditEvent?entity=" + searchId));
    List<String> patients = patientsOf(whole);
    assertThat(patients).hasSize(2);
    assertThat(ids(whole)).contains("urn:oid:" + studyUid, "urn:oid:" + other.uidValue());
    assertThat(queries(whole)).anySatisfy(q -> assertThat(q).contains(other.uidValue()));
    String csvWhole = csv("rita.authority", searchId);
    assertThat(csvWhole).contains(other.uidValue(), patients.get(0), patients.get(1));

    // She sees who, when, what, why and the outcome, and of the entities only hers.
    Response r = as("maria.patient").get("/fhir/AuditEvent?entity=" + searchId);
    AuditEvent hers = onlyEvent(r);
    assertThat(patientsOf(hers)).hasSize(1);
    String theirs =
        patients.stream().filter(p -> !patientsOf(hers).contains(p)).findFirst().orElseThrow();
    assertThat(r.asString()).doesNotContain(other.uidValue()).doesNotContain(theirs);
    assertThat(ids(hers)).contains("urn:oid:" + studyUid, searchId);
    assertThat(queries(hers)).isEmpty();
    assertThat(hers.getAgentFirstRep().getAltId()).isEqualTo("ana.clinic");
    assertThat(hers.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
    assertThat(hers.getOutcome().toCode()).isEqualTo("0");
    assertThat(CoreValidator.full().errors(hers)).isEmpty();
    String csvHers = csv("maria.patient", searchId);
    assertThat(csvHers)
        .contains(studyUid, "ana.clinic")
        .doesNotContain(other.uidValue())
        .doesNotContain(theirs);
  }

  private static AuditEvent onlyEvent(Response r) {
    r.then().statusCode(200);
    Bundle b = bundle(r);
    assertThat(b.getEntry()).hasSize(1);
    return (AuditEvent) b.getEntryFirstRep().getResource();
  }

  private static List<String> patientsOf(AuditEvent e) {
    return e.getEntity().stream()
        .map(en -> en.getWhat().getReference())
        .filter(ref -> ref != null && ref.startsWith("Patient/"))
        .map(ref -> ref.substring("Patient/".length()))
        .toList();
  }

  private static List<String> ids(AuditEvent e) {
    return e.getEntity().stream()
        .filter(en -> en.getWhat().hasIdentifier())
        .map(en -> en.getWhat().getIdentifier().getValue())
        .toList();
  }

  private static List<String> queries(AuditEvent e) {
    return e.getEntity().stream()
        .filter(en -> en.hasQuery())
        .map(en -> new String(en.getQuery(), java.nio.charset.StandardCharsets.UTF_8))
        .toList();
  }

  private static String csv(String user, String requestId) {
    String csv =
        as(user)
            .get("/fhir/AuditEvent?_format=csv&entity=" + requestId)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(csv.lines().toList()).hasSize(2);
    return csv;
  }

  @Test
  void refusesOthersAndBadInputWithAnOperationOutcome() {
    as("ana.clinic")
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
    given().get("/fhir/AuditEvent").then().statusCode(401);
    for (String bad :
        List.of(
            "_count=5000",
            "_count=0",
            "_count=ten",
            "_cursor=-1",
            "date=ge2026-02-01&date=le2026-01-01",
            "date=2026-01-01",
            "date=ge2026-13-45",
            "outcome=bad",
            "subtype=patch",
            "purpose=curiosity",
            "patient=%3Cscript%3E",
            "color=blue")) {
      as("rita.authority")
          .get("/fhir/AuditEvent?" + bad)
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"))
          .body("issue[0].details.coding[0].code", equalTo("ponte:bad-request"));
    }
  }

  @Test
  void verifiesTheChainForTheAuthorityOnly() {
    as("rita.authority")
        .get("/api/audit/verify")
        .then()
        .statusCode(200)
        .body("intact", equalTo(true));
    as("rita.authority")
        .get("/api/audit/verify?from=2030-01-02&to=2030-01-01")
        .then()
        .statusCode(400);
    as("ana.clinic").get("/api/audit/verify").then().statusCode(403);
  }
}
