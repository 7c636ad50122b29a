package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentFixtures.FHIR_JSON;
import static io.ponte.hub.consent.ConsentFixtures.MARIA;
import static io.ponte.hub.consent.ConsentFixtures.as;
import static io.ponte.hub.consent.ConsentFixtures.consent;
import static io.ponte.hub.consent.ConsentFixtures.identifier;
import static io.ponte.hub.consent.ConsentFixtures.json;
import static io.ponte.hub.consent.ConsentFixtures.post;
import static io.ponte.hub.consent.ConsentFixtures.posted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code /fhir/Consent}: the patient records and revokes her own choices, an admin records a paper
 * one, and every bad or foreign consent is refused with an OperationOutcome and nothing stored.
 */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class ConsentResourceTest {

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  ConsentFixtures.Maria maria;

  @BeforeEach
  void herStudies() throws Exception {
    withdrawEverything(); // other classes share this database
    maria = ConsentFixtures.maria();
  }

  @AfterEach
  void withdrawEverything() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("update consent set status = 'inactive' where status = 'active'")) {
      ps.executeUpdate();
    }
  }

  @Nested
  @DisplayName("the patient")
  class ThePatient {

    @Test
    void recordsADenyForAClinicAndReadsItBack() throws Exception {
      Response r = post("maria.patient", consent(maria.atA(), false, "clinic-norte"));
      r.then()
          .statusCode(201)
          .contentType(startsWith(FHIR_JSON))
          .header("Location", containsString("/fhir/Consent/"))
          .body("resourceType", equalTo("Consent"))
          .body("status", equalTo("active"))
          .body("provision.type", equalTo("deny"))
          .body("provision.actor[0].reference.reference", equalTo("Organization/clinic-norte"))
          .body("meta.tag[0].code", equalTo("patient"));
      String id = r.path("id");
      as("maria.patient").get("/fhir/Consent/" + id).then().statusCode(200).body("id", equalTo(id));
      String patientId = patientIdOf(maria.mrnA());
      as("maria.patient")
          .queryParam("patient", "Patient/" + patientId)
          .queryParam("status", "active")
          .queryParam("date", "ge" + java.time.LocalDate.now().minusDays(1))
          .get("/fhir/Consent")
          .then()
          .statusCode(200)
          .body("resourceType", equalTo("Bundle"))
          .body("entry.resource.id", contains(id));
      // Any identifier of the person finds it: her hospital-b identifier too.
      as("rita.authority")
          .queryParam(
              "patient:identifier", FhirStudies.mrnSystem("hospital-b") + "|" + maria.mrnB())
          .queryParam("status", "active")
          .get("/fhir/Consent")
          .then()
          .statusCode(200)
          .body("entry.resource.id", contains(id));
    }

    @Test
    void namesHerselfByHerRegionalId() {
      posted(
          "maria.patient",
          consent(identifier(IdentifierSystems.REGIONAL_ID, MARIA), false, "hospital-b"));
    }

    @Test
    void revokesAtOnceBySettingItInactive() {
      String id = posted("maria.patient", consent(maria.atA(), false));
      Response read = as("maria.patient").get("/fhir/Consent/" + id);
      Consent stored =
          io.ponte.fhir.FhirContextProducer.r4()
              .newJsonParser()
              .parseResource(Consent.class, read.asString());
      stored.setStatus(Consent.ConsentState.INACTIVE);
      as("maria.patient")
          .contentType(FHIR_JSON)
          .body(json(stored))
          .put("/fhir/Consent/" + id)
          .then()
          .statusCode(200)
          .body("status", equalTo("inactive"))
          .body("meta.versionId", equalTo("2"));
      as("maria.patient")
          .queryParam("status", "active")
          .get("/fhir/Consent")
          .then()
          .statusCode(200)
          .body("entry.resource.id", not(hasItem(id)));
      // Revoked once is revoked; and a revocation changes nothing but the status.
      as("maria.patient")
          .contentType(FHIR_JSON)
          .body(json(stored))
          .put("/fhir/Consent/" + id)
          .then()
          .statusCode(409);
      String other = posted("maria.patient", consent(maria.atA(), false));
      Consent changed = consent(maria.atA(), true);
      changed.setId(other);
      changed.setStatus(Consent.ConsentState.INACTIVE);
      as("maria.patient")
          .contentType(FHIR_JSON)
          .body(json(changed))
          .put("/fhir/Consent/" + other)
          .then()
          .statusCode(422)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void neverSeesAnotherPersonsConsent() {
      String stranger = strangerMrn();
      String theirs =
          posted(
              "ponte.admin",
              consent(identifier(FhirStudies.mrnSystem("hospital-a"), stranger), false));
      as("maria.patient")
          .get("/fhir/Consent/" + theirs)
          .then()
          .statusCode(404)
          .body("resourceType", equalTo("OperationOutcome"));
      as("maria.patient")
          .get("/fhir/Consent")
          .then()
          .statusCode(200)
          .body("entry.resource.id", not(hasItem(theirs)));
    }
  }

  @Test
  void anAdminRecordsAPaperConsentOnThePatientsBehalfMarkedAsSuch() {
    Consent paper = consent(maria.atA(), false, "hospital-b");
    Instant signed = Instant.parse("2026-01-15T10:00:00Z");
    paper.setDateTime(Date.from(signed));
    posted("ponte.admin", paper);
    as("ponte.admin")
        .queryParam("patient:identifier", FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA())
        .queryParam("status", "active")
        .get("/fhir/Consent")
        .then()
        .statusCode(200)
        .body("entry[0].resource.meta.tag[0].code", equalTo("paper"))
        .body("entry[0].resource.meta.tag[0].display", containsString("ponte.admin"))
        .body("entry[0].resource.dateTime", startsWith("2026-01-15T10:00:00"));
  }

  @Nested
  @DisplayName("refuses, storing nothing")
  class Refuses {

    @Test
    void aPatientTokenWritingForSomeoneElse() throws Exception {
      String stranger = strangerMrn();
      Reference theirs = identifier(FhirStudies.mrnSystem("hospital-a"), stranger);
      Response known = post("maria.patient", consent(theirs, false));
      refused(known, 403, "ponte:forbidden");
      Response knownById =
          post("maria.patient", consent(new Reference("Patient/" + patientIdOf(stranger)), false));
      refused(knownById, 403, "ponte:forbidden");
      assertThat(consentsNaming(patientIdOf(stranger))).isZero();
      // Someone the hub does not know gets the very same answer: a patient's token cannot test
      // whether an MRN, a Patient id or a regional id exists.
      for (Reference unknown :
          List.of(
              identifier(FhirStudies.mrnSystem("hospital-a"), "NO-SUCH-MRN"),
              new Reference("Patient/no-such-patient"),
              identifier(IdentifierSystems.REGIONAL_ID, "REG-NO-SUCH"))) {
        Response r = post("maria.patient", consent(unknown, false));
        refused(r, 403, "ponte:forbidden");
        assertThat(outcome(r)).isEqualTo(outcome(known)).isEqualTo(outcome(knownById));
      }
    }

    @Test
    void aConsentForAPatientTheHubDoesNotKnow() {
      // For the authority or an admin, who may write for anyone, an unknown patient is a bad
      // resource; a patient writing for anyone but herself is refused alike (above).
      refused(
          post(
              "ponte.admin",
              consent(identifier(FhirStudies.mrnSystem("hospital-a"), "NO-SUCH-MRN"), false)),
          422,
          "ponte:invalid-resource");
      refused(
          post("ponte.admin", consent(new Reference("Patient/no-such-patient"), false)),
          422,
          "ponte:invalid-resource");
    }

    @Test
    void anUnknownOrganisation() throws Exception {
      refused(
          post("maria.patient", consent(maria.atA(), false, "hospital-zz")),
          422,
          "ponte:invalid-resource");
      assertThat(consentsOfMaria()).isZero();
    }

    @Test
    void aPeriodThatEndsBeforeItStarts() throws Exception {
      Consent c = consent(maria.atA(), false, "clinic-norte");
      c.getProvision()
          .setPeriod(
              new Period()
                  .setStart(Date.from(Instant.parse("2026-05-01T00:00:00Z")))
                  .setEnd(Date.from(Instant.parse("2026-04-01T00:00:00Z"))));
      refused(post("maria.patient", c), 422, "ponte:invalid-resource");
      assertThat(consentsOfMaria()).isZero();
    }

    @Test
    void anUnknownPolicy() throws Exception {
      Consent c = consent(maria.atA(), false);
      c.getPolicyFirstRep().setUri("https://example.org/some-other-policy");
      refused(post("maria.patient", c), 422, "ponte:invalid-resource");
      Consent rule = consent(maria.atA(), false);
      rule.getPolicy().clear();
      rule.getPolicyRule().addCoding().setSystem(ConsentValidator.ACT_CODE).setCode("NOPE");
      refused(post("maria.patient", rule), 422, "ponte:invalid-resource");
      assertThat(consentsOfMaria()).isZero();
    }

    @Test
    void aDenyOfStudiesHeldAtASiteThePatientHasNoneAt() throws Exception {
      Consent atClinic = consent(maria.atA(), false);
      atClinic
          .getProvision()
          .addData()
          .setMeaning(Consent.ConsentDataMeaning.AUTHOREDBY)
          .setReference(new Reference("Organization/clinic-norte"));
      Response r = post("maria.patient", atClinic);
      refused(r, 422, "ponte:invalid-resource");
      assertThat(r.asString()).contains("no studies held at clinic-norte");
      assertThat(consentsOfMaria()).isZero();
      // Where she does have studies, the same deny is recorded.
      Consent atB = consent(maria.atA(), false);
      atB.getProvision()
          .addData()
          .setMeaning(Consent.ConsentDataMeaning.AUTHOREDBY)
          .setReference(new Reference("Organization/hospital-b"));
      posted("maria.patient", atB);
    }

    @Test
    void aConsentOutsideThePcfBasicShape() {
      Consent noCategory = consent(maria.atA(), false);
      noCategory.getCategory().clear();
      refused(post("maria.patient", noCategory), 422, "ponte:invalid-resource");
      Consent purpose = consent(maria.atA(), false);
      purpose.getProvision().addPurpose().setCode("HRESCH");
      refused(post("maria.patient", purpose), 422, "ponte:invalid-resource");
      Consent draft = consent(maria.atA(), false);
      draft.setStatus(Consent.ConsentState.DRAFT);
      refused(post("maria.patient", draft), 422, "ponte:invalid-resource");
      as("maria.patient")
          .contentType(FHIR_JSON)
          .body("{\"resourceType\":\"Consent\",\"status\":\"maybe\"}")
          .post("/fhir/Consent")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void everyoneButThePatientAndAdmins() {
      for (String user : List.of("ana.clinic", "bruno.hospa", "rita.authority")) {
        refused(post(user, consent(maria.atA(), false)), 403, "ponte:forbidden");
      }
      refused(as("ana.clinic").get("/fhir/Consent"), 403, "ponte:forbidden");
      io.restassured.RestAssured.given()
          .contentType(FHIR_JSON)
          .body(json(consent(maria.atA(), false)))
          .post("/fhir/Consent")
          .then()
          .statusCode(401)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void andAuditsEachRefusal() throws Exception {
      post("ana.clinic", consent(maria.atA(), false));
      assertThat(audit("Consent")).contains("create denied ana.clinic");
      posted("maria.patient", consent(maria.atA(), false, "hospital-b"));
      assertThat(audit("Consent")).contains("create success maria.patient");
    }
  }

  /** What an OperationOutcome says: status, code and diagnostics (not the request's own id). */
  private static List<Object> outcome(Response r) {
    return List.of(
        r.statusCode(),
        r.jsonPath().getString("issue[0].details.coding[0].code"),
        r.jsonPath().getString("issue[0].diagnostics"));
  }

  private static void refused(Response r, int status, String code) {
    r.then()
        .statusCode(status)
        .contentType(startsWith(FHIR_JSON))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].details.coding[0].code", equalTo(code));
  }

  /** A patient of someone else: published at hospital-a, not linked to maria. */
  private static String strangerMrn() {
    String mrn = FhirStudies.mrn();
    HubFhir.published(
        "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).name("Estranho", "Rui"));
    return mrn;
  }

  private String patientIdOf(String mrn) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select id from patient where identifier_value = ?")) {
      ps.setString(1, mrn);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private int consentsNaming(String patientId) throws Exception {
    return count("select count(*) from consent where patient_id = ?", patientId);
  }

  private int consentsOfMaria() throws Exception {
    return count("select count(*) from consent where regional_id = ? and status = 'active'", MARIA);
  }

  private int count(String sql, String arg) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private List<String> audit(String resourceType) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select action, outcome, username from audit_record where resource_type = ?"
                    + " order by seq desc limit 50")) {
      ps.setString(1, resourceType);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return rows;
  }
}
