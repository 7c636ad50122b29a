package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentFixtures.FHIR_JSON;
import static io.ponte.hub.consent.ConsentFixtures.as;
import static io.ponte.hub.consent.ConsentFixtures.consent;
import static io.ponte.hub.consent.ConsentFixtures.posted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub enforces the patient's consent on every read path: FHIR ImagingStudy and Patient search
 * and read, QIDO-RS, WADO-RS (study, series, instance, frames, metadata). maria.patient's studies
 * are at hospital-a and hospital-b; she denies clinic-norte.
 */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class ConsentEnforcementTest {

  static TinyNode node;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  ConsentFixtures.Maria maria;

  @BeforeAll
  static void startNode() throws Exception {
    node = new TinyNode(ConsentTestProfile.NODE_PORT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @BeforeEach
  void herStudies() throws Exception {
    withdrawEverything();
    maria = ConsentFixtures.maria();
  }

  @AfterEach
  void withdrawEverything() throws Exception {
    sql("update consent set status = 'inactive' where status = 'active'");
    sql("update emergency_grant set ended_at = now() where ended_at is null");
  }

  String patientA() {
    return FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA();
  }

  /** Every WADO-RS path of a study, with UIDs the hub checks the form of. */
  static List<String> wadoPaths(String study) {
    String series = "/studies/" + study + "/series/1.2.3";
    String instance = series + "/instances/1.2.3.4";
    return List.of(
        "/studies/" + study,
        series,
        instance,
        instance + "/frames/1",
        "/studies/" + study + "/metadata",
        series + "/metadata",
        instance + "/metadata");
  }

  @Test
  void aClinicTheDeniedNoLongerFindsOrRetrievesHerStudiesWhileHospitalAStillDoes() {
    // Before: the clinic sees her studies from both hospitals.
    assertClinicianFindsBoth("ana.clinic");
    as("ana.clinic").get("/dicomweb/studies/" + maria.studyA()).then().statusCode(200);

    posted("maria.patient", consent(maria.atA(), false, "clinic-norte"));

    // FHIR search: her studies are left out, a warning says a filter applied, and the total
    // counts only what the clinic may see.
    as("ana.clinic")
        .queryParam("patient.identifier", patientA())
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("entry.findAll { it.search.mode == 'match' }", empty())
        .body(
            "entry.find { it.search.mode == 'outcome' }.resource.issue[0].severity",
            equalTo("warning"))
        .body(
            "entry.find { it.search.mode == 'outcome' }.resource.issue[0].diagnostics",
            not(containsString(maria.mrnA())));
    // FHIR read of either study and of her Patient records: 403 consent-denied.
    for (String id : List.of(studyId(maria.studyA()), studyId(maria.studyB()))) {
      as("ana.clinic")
          .get("/fhir/ImagingStudy/" + id)
          .then()
          .statusCode(403)
          .contentType(startsWith(FHIR_JSON))
          .body("issue[0].details.coding[0].code", equalTo("ponte:consent-denied"));
    }
    as("ana.clinic")
        .get("/fhir/Patient/" + patientId(maria.mrnB()))
        .then()
        .statusCode(403)
        .body("issue[0].details.coding[0].code", equalTo("ponte:consent-denied"));
    as("ana.clinic")
        .queryParam("identifier", patientA())
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.findAll { it.search.mode == 'match' }", empty())
        .body(
            "entry.find { it.search.mode == 'outcome' }.resource.resourceType",
            equalTo("OperationOutcome"));
    // QIDO-RS: studies omitted with a Warning header; series and instances of a study: none.
    Response qido = as("ana.clinic").queryParam("PatientID", maria.mrnA()).get("/dicomweb/studies");
    qido.then().statusCode(200).body("$", empty());
    assertThat(qido.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);
    for (String level : List.of("/series", "/instances", "/series/1.2.3/instances")) {
      Response r = as("ana.clinic").get("/dicomweb/studies/" + maria.studyB() + level);
      r.then().statusCode(200).body("$", empty());
      assertThat(r.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);
    }
    // WADO-RS, every level, from either hospital: 403 consent-denied, refused whole.
    for (String study : List.of(maria.studyA(), maria.studyB())) {
      for (String path : wadoPaths(study)) {
        as("ana.clinic")
            .get("/dicomweb" + path)
            .then()
            .statusCode(403)
            .contentType(startsWith("application/problem+json"))
            .body("code", equalTo("ponte:consent-denied"));
      }
    }

    // Hospital A's own clinician still sees everything of hers, and so does hospital B's.
    assertClinicianFindsBoth("bruno.hospa");
    assertClinicianFindsBoth("carla.hospb");
    for (String path : wadoPaths(maria.studyA())) {
      as("bruno.hospa").get("/dicomweb" + path).then().statusCode(200);
    }
    as("bruno.hospa").get("/fhir/ImagingStudy/" + studyId(maria.studyB())).then().statusCode(200);
  }

  @Test
  void aRevocationWrittenByAnotherHubInstanceHoldsOnTheVeryNextRequest() throws Exception {
    // Warm this instance's cache with a permit.
    as("ana.clinic")
        .get("/dicomweb/studies/" + maria.studyA() + "/metadata")
        .then()
        .statusCode(200);
    // Another hub instance records a deny: straight into the shared database, not through this one.
    String id = UUID.randomUUID().toString();
    sql(
        "insert into consent (id, regional_id, status, consented_at, rules, source, recorded_by,"
            + " recorded_at, version_id, last_updated, resource_json) values ('"
            + id
            + "', '"
            + ConsentFixtures.MARIA
            + "', 'active', now(), '{\"base\":{\"permit\":false,\"actors\":[\"clinic-norte\"],"
            + "\"sources\":[]},\"exceptions\":[]}', 'patient', 'another-hub', now(), 1, now(),"
            + " '{\"resourceType\":\"Consent\",\"id\":\""
            + id
            + "\",\"status\":\"active\"}')");
    as("ana.clinic")
        .get("/dicomweb/studies/" + maria.studyA() + "/metadata")
        .then()
        .statusCode(403)
        .body("code", equalTo("ponte:consent-denied"));
    // ... and the patient's revocation through the API reopens it at once.
    sql("update consent set status = 'inactive' where recorded_by = 'another-hub'");
    as("ana.clinic")
        .get("/dicomweb/studies/" + maria.studyA() + "/metadata")
        .then()
        .statusCode(200);
  }

  @Test
  void anEmergencyGrantOpensHerStudiesToThatClinicianOnlyAndIsAuditedAsEmergency()
      throws Exception {
    posted("maria.patient", consent(maria.atA(), false));
    as("ana.clinic").get("/dicomweb/studies/" + maria.studyB()).then().statusCode(403);
    String grant = grant();
    as("ana.clinic")
        .get("/dicomweb/studies/" + maria.studyB())
        .then()
        .statusCode(200)
        .body(equalTo(TinyNode.BODY));
    as("ana.clinic")
        .queryParam("PatientID", maria.mrnA())
        .get("/dicomweb/studies")
        .then()
        .statusCode(200)
        .body("'0020000D'.Value.flatten()", hasItems(maria.studyA(), maria.studyB()));
    // Not for a colleague at another organisation without a grant.
    as("carla.hospb").get("/dicomweb/studies/" + maria.studyA()).then().statusCode(403);
    assertThat(emergencyUses(grant)).isGreaterThanOrEqualTo(2);
    // Ended early: refused again.
    as("ana.clinic").delete("/api/emergency-access/" + grant).then().statusCode(200);
    as("ana.clinic").get("/dicomweb/studies/" + maria.studyB()).then().statusCode(403);
  }

  @Test
  void aRecordHerConsentWithholdsIsNotNamedInTheLinksOfTheRecordSheShares() {
    // She shares her hospital A record with the clinic, not her hospital B one.
    HubFhir.denyClinicNorteAt(maria.mrnA(), "hospital-b");
    String idA = patientId(maria.mrnA());
    String idB = patientId(maria.mrnB());
    String named = "Patient/" + idB;
    as("ana.clinic")
        .get("/fhir/Patient/" + idA)
        .then()
        .statusCode(200)
        .body("link", org.hamcrest.Matchers.nullValue())
        .body(not(containsString(maria.mrnB())));
    as("ana.clinic")
        .queryParam("identifier", patientA())
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.resource.id", hasItem(idA))
        .body(not(containsString(maria.mrnB())))
        .body(not(containsString(named)));
    // Whoever may see it still finds it named: her hospitals' own clinicians, and the authority's
    // identity review.
    for (String user : List.of("bruno.hospa", "carla.hospb")) {
      as(user)
          .get("/fhir/Patient/" + idA)
          .then()
          .statusCode(200)
          .body("link.other.reference", hasItem(named))
          .body(
              "link.other.display",
              hasItem(FhirStudies.mrnSystem("hospital-b") + "|" + maria.mrnB()));
    }
    as("rita.authority")
        .get("/api/identity/links/" + ConsentFixtures.MARIA)
        .then()
        .statusCode(200)
        .body("identifiers.value", hasItems(maria.mrnA(), maria.mrnB()));

    // Under an emergency grant the clinic sees it named, and the grant's use is recorded.
    String grant = grant();
    int uses = emergencyUses(grant);
    as("ana.clinic")
        .get("/fhir/Patient/" + idA)
        .then()
        .statusCode(200)
        .body("link.other.reference", hasItem(named));
    assertThat(emergencyUses(grant, idB)).isEqualTo(1);
    as("ana.clinic")
        .queryParam("identifier", patientA())
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.resource.link.flatten().other.reference", hasItem(named));
    assertThat(emergencyUses(grant, idB)).isEqualTo(2);
    assertThat(emergencyUses(grant)).isEqualTo(uses + 2);
  }

  /**
   * A read under a grant decides the record and the person's other records at once: one use record
   * per grant naming both, not one for the read and another for its links.
   */
  @Test
  void aReadOfARecordSharedOnlyUnderAGrantRecordsTheGrantsUseOnceNamingItsLinksToo() {
    HubFhir.denyClinicNorte(maria.mrnA());
    String idA = patientId(maria.mrnA());
    String idB = patientId(maria.mrnB());
    as("ana.clinic").get("/fhir/Patient/" + idA).then().statusCode(403);
    String grant = grant();
    int uses = emergencyUses(grant);
    int namingA = emergencyUses(grant, idA);
    int namingB = emergencyUses(grant, idB);
    String before = one("select coalesce(max(seq), 0) from audit_record");
    as("ana.clinic")
        .get("/fhir/Patient/" + idA)
        .then()
        .statusCode(200)
        .body("link.other.reference", hasItem("Patient/" + idB));
    assertThat(emergencyUses(grant)).isEqualTo(uses + 1);
    assertThat(emergencyUses(grant, idA)).isEqualTo(namingA + 1);
    assertThat(emergencyUses(grant, idB)).isEqualTo(namingB + 1);
    // The read's own record names the record its link tells her identifier at hospital B.
    assertThat(
            one(
                "select count(*) from audit_record where seq > cast(? as bigint) and action ="
                    + " 'read' and resource_type = 'Patient' and ? ="
                    + " any(string_to_array(patient_ids, ','))",
                before,
                idB))
        .isEqualTo("1");
  }

  /** A lookup by regional id that consent answers with nothing still names her in the record. */
  @Test
  void aRegionalIdSearchConsentAnswersWithNothingIsRecordedAboutHer() {
    HubFhir.denyClinicNorte(maria.mrnA());
    String before = one("select coalesce(max(seq), 0) from audit_record");
    as("ana.clinic")
        .queryParam("identifier", IdentifierSystems.REGIONAL_ID + "|" + ConsentFixtures.MARIA)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.findAll { it.search.mode == 'match' }", empty());
    assertThat(
            one(
                "select count(*) from audit_record where seq > cast(? as bigint) and username = 'ana.clinic'"
                    + " and resource_type = 'Patient' and ? = any(string_to_array(regional_ids, ','))",
                before,
                ConsentFixtures.MARIA))
        .isEqualTo("1");
  }

  @Test
  void aPatientSearchShowingARecordOnlyUnderAnEmergencyGrantRecordsTheGrantsUseOnce() {
    HubFhir.denyClinicNorteAt(maria.mrnA(), "hospital-b");
    String idB = patientId(maria.mrnB());
    String patientB = FhirStudies.mrnSystem("hospital-b") + "|" + maria.mrnB();
    as("ana.clinic")
        .queryParam("identifier", patientB)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.findAll { it.search.mode == 'match' }", empty());
    String grant = grant();
    int uses = emergencyUses(grant);
    as("ana.clinic")
        .queryParam("identifier", patientB)
        .get("/fhir/Patient")
        .then()
        .statusCode(200)
        .body("entry.resource.id", hasItem(idB));
    // One record for the search, naming the record it showed under the grant.
    assertThat(emergencyUses(grant)).isEqualTo(uses + 1);
    assertThat(emergencyUses(grant, idB)).isEqualTo(1);
  }

  /** ana.clinic's emergency grant for maria: its id. */
  private String grant() {
    return as("ana.clinic")
        .contentType("application/json")
        .body(Map.of("patient", patientA(), "reason", "unconscious, suspected bleed"))
        .post("/api/emergency-access")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private void assertClinicianFindsBoth(String user) {
    as(user)
        .queryParam("patient.identifier", patientA())
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body(
            "entry.resource.identifier.flatten().value",
            hasItems("urn:oid:" + maria.studyA(), "urn:oid:" + maria.studyB()))
        .body("entry.search.mode", not(hasItem("outcome")));
    as(user)
        .queryParam("PatientID", maria.mrnA())
        .get("/dicomweb/studies")
        .then()
        .statusCode(200)
        .body("'0020000D'.Value.flatten()", hasItems(maria.studyA(), maria.studyB()));
  }

  private String studyId(String uid) {
    return one("select id from imaging_study where study_instance_uid = ?", uid);
  }

  private String patientId(String mrn) {
    return one("select id from patient where identifier_value = ?", mrn);
  }

  private int emergencyUses(String grant) {
    return Integer.parseInt(
        one(
            "select count(*) from audit_record where resource_type = '"
                + EmergencyAudit.USE
                + "' and purpose = 'emergency' and query = ?",
            "grant " + grant));
  }

  /** The uses of {@code grant} recorded naming hub Patient {@code patientId}. */
  private int emergencyUses(String grant, String patientId) {
    return Integer.parseInt(
        one(
            "select count(*) from audit_record where resource_type = '"
                + EmergencyAudit.USE
                + "' and query = ? and ? = any(string_to_array(patient_ids, ','))",
            "grant " + grant,
            patientId));
  }

  private String one(String sql, String... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void sql(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }
}
