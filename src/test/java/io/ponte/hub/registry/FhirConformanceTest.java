package io.ponte.hub.registry;

import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.hub.consent.ConsentValidator;
import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.CoreValidator;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every resource type the hub returns is valid R4 (HAPI's validator against the core spec: no
 * errors), and the CapabilityStatement tells the truth: each interaction and search parameter it
 * lists is answered, and nothing else is.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class FhirConformanceTest {

  @Inject FhirValidation validation;

  @BeforeEach
  void warmValidator() { // the hub's own, for publishing
    validation.warm();
  }

  String get(String token, String path, int status) {
    var request = token == null ? given() : given().auth().oauth2(token);
    return request.get(path).then().statusCode(status).extract().asString();
  }

  void assertValid(String json, String resourceType) {
    IBaseResource resource = FhirContextProducer.r4().newJsonParser().parseResource(json);
    assertThat(resource.fhirType()).isEqualTo(resourceType);
    assertThat(CoreValidator.full().errors(resource))
        .as(resourceType + " validation errors")
        .isEmpty();
  }

  @Test
  void everyReturnedResourceTypeValidatesAgainstR4Core() {
    String clinician = Tokens.user("ana.clinic");
    String mrn = FhirStudies.mrn();
    String studyId =
        published(
            "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).modalities("CT", "MR"));
    assertValid(get(clinician, "/fhir/ImagingStudy/" + studyId, 200), "ImagingStudy");
    String bundle =
        get(
            clinician,
            "/fhir/ImagingStudy?patient.identifier="
                + FhirStudies.mrnSystem("hospital-a")
                + "|"
                + mrn
                + "&_count=1",
            200);
    assertValid(bundle, "Bundle");
    String patients =
        get(
            clinician,
            "/fhir/Patient?identifier=" + FhirStudies.mrnSystem("hospital-a") + "|" + mrn,
            200);
    assertValid(patients, "Bundle");
    String patientId =
        io.restassured.path.json.JsonPath.from(patients).getString("entry[0].resource.id");
    assertValid(get(clinician, "/fhir/Patient/" + patientId, 200), "Patient");
    assertValid(get(clinician, "/fhir/Organization/hospital-a", 200), "Organization");
    assertValid(get(clinician, "/fhir/Organization", 200), "Bundle");
    assertValid(get(clinician, "/fhir/Endpoint/hospital-a-dicomweb", 200), "Endpoint");
    assertValid(get(clinician, "/fhir/Endpoint?organization=hospital-b", 200), "Bundle");
    assertValid(get(null, "/fhir/metadata", 200), "CapabilityStatement");
    assertValid(get(null, "/fhir/ImagingStudy", 401), "OperationOutcome");
    assertValid(get(Tokens.user("rita.authority"), "/fhir/ImagingStudy", 403), "OperationOutcome");
    assertValid(get(clinician, "/fhir/ImagingStudy/none", 404), "OperationOutcome");
    assertValid(get(clinician, "/fhir/ImagingStudy?nope=1", 400), "OperationOutcome");
    String invalid =
        given()
            .auth()
            .oauth2(Tokens.client("ponte-node-hospital-a"))
            .contentType("application/fhir+json")
            .body(
                "{\"resourceType\":\"ImagingStudy\",\"status\":\"available\",\"subject\":{\"display\":\"x\"}}")
            .queryParam("identifier", "urn:dicom:uid|urn:oid:1.2.3")
            .put("/fhir/ImagingStudy")
            .then()
            .statusCode(422)
            .extract()
            .asString();
    assertValid(invalid, "OperationOutcome");
  }

  @Test
  void metadataIsPublicAndDescribesSmartSecurityAndJson() {
    given()
        .get("/fhir/metadata")
        .then()
        .statusCode(200)
        .body("resourceType", equalTo("CapabilityStatement"))
        .body("fhirVersion", equalTo("4.0.1"))
        .body("format", equalTo(List.of("application/fhir+json", "json")))
        .body("rest[0].security.service[0].coding[0].code", equalTo("SMART-on-FHIR"));
  }

  /** Sample values for every search parameter the CapabilityStatement may list. */
  static final Map<String, String> SAMPLE =
      Map.of(
          "patient",
          "some-id",
          "identifier",
          "urn:dicom:uid|urn:oid:1.2.3",
          "started",
          "ge2024-01-01",
          "modality",
          "CT",
          "_lastUpdated",
          "ge2024-01-01",
          "_count",
          "1",
          "_id",
          "hospital-a",
          "organization",
          "hospital-a",
          "status",
          "active",
          "date",
          "ge2024-01-01");

  /** Patient's own parameters (PDQm). */
  static final Map<String, String> PATIENT_SAMPLE =
      Map.of(
          "identifier", "x|y",
          "name", "gonçalves",
          "family", "GONCALVES",
          "given", "maria",
          "birthdate", "1968-04-12",
          "gender", "female");

  @Test
  void capabilityStatementListsExactlyWhatIsAnswered() {
    CapabilityStatement cs =
        FhirContextProducer.r4()
            .newJsonParser()
            .parseResource(CapabilityStatement.class, get(null, "/fhir/metadata", 200));
    String clinician = Tokens.user("ana.clinic");
    String admin = Tokens.user("ponte.admin");
    String patientId = somePatientId(clinician);
    Map<String, String> knownIds =
        new HashMap<>(
            Map.of(
                "Organization",
                "hospital-a",
                "Endpoint",
                "hospital-a-dicomweb",
                "ImagingStudy",
                published(
                    "ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn())),
                "Patient",
                patientId));
    // Who may use each type: clinicians read the registry; consents are the patient's, the
    // authority's and admins' (a paper consent is recorded by an admin), never a clinician's.
    Map<String, String> user = Map.of("Consent", admin);
    assertThat(cs.getRestFirstRep().getResource())
        .extracting(r -> r.getType())
        .containsExactlyInAnyOrder(
            "ImagingStudy", "Patient", "Organization", "Endpoint", "Consent");
    for (var resource : cs.getRestFirstRep().getResource()) {
      String type = resource.getType();
      String token = user.getOrDefault(type, clinician);
      for (var interaction : resource.getInteraction()) {
        switch (interaction.getCode()) {
          case CREATE -> {
            assertThat(type).isEqualTo("Consent");
            given()
                .auth()
                .oauth2(clinician)
                .contentType("application/fhir+json")
                .body(paperConsent(patientId))
                .post("/fhir/Consent")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
            String created =
                given()
                    .auth()
                    .oauth2(token)
                    .contentType("application/fhir+json")
                    .body(paperConsent(patientId))
                    .post("/fhir/Consent")
                    .then()
                    .statusCode(201)
                    .extract()
                    .asString();
            assertValid(created, "Consent");
            knownIds.put(type, io.restassured.path.json.JsonPath.from(created).getString("id"));
          }
          case READ -> {
            get(token, "/fhir/" + type + "/" + knownIds.get(type), 200);
            if (!token.equals(clinician)) {
              get(clinician, "/fhir/" + type + "/" + knownIds.get(type), 403);
            }
          }
          case SEARCHTYPE -> {
            for (var param : resource.getSearchParam()) {
              String value =
                  type.equals("Patient")
                      ? PATIENT_SAMPLE.getOrDefault(param.getName(), SAMPLE.get(param.getName()))
                      : SAMPLE.get(param.getName());
              assertThat(value).as("sample for " + type + "." + param.getName()).isNotNull();
              var request = given().auth().oauth2(token).queryParam(param.getName(), value);
              if (type.equals("Patient") && !param.getName().equals("identifier")) {
                request = request.queryParam("identifier", "x|y"); // narrows to nobody
              }
              request.get("/fhir/" + type).then().statusCode(200);
            }
            if (!token.equals(clinician)) {
              get(clinician, "/fhir/" + type, 403);
            }
          }
          case UPDATE -> {
            if (type.equals("Consent")) { // the one update a consent accepts: its revocation
              Consent stored =
                  FhirContextProducer.r4()
                      .newJsonParser()
                      .parseResource(
                          Consent.class, get(token, "/fhir/Consent/" + knownIds.get(type), 200));
              stored.setStatus(Consent.ConsentState.INACTIVE);
              given()
                  .auth()
                  .oauth2(token)
                  .contentType("application/fhir+json")
                  .body(FhirContextProducer.r4().newJsonParser().encodeResourceToString(stored))
                  .put("/fhir/Consent/" + knownIds.get(type))
                  .then()
                  .statusCode(200)
                  .body("status", equalTo("inactive"));
            } else {
              assertThat(type).isEqualTo("ImagingStudy"); // proven by ImagingStudyPublishTest
            }
          }
          default ->
              throw new AssertionError(
                  "unexpected interaction " + interaction.getCode() + " on " + type);
        }
      }
    }
    given().auth().oauth2(clinician).get("/fhir/ImagingStudy/_history").then().statusCode(404);
    given()
        .auth()
        .oauth2(clinician)
        .delete("/fhir/ImagingStudy/" + knownIds.get("ImagingStudy"))
        .then()
        .statusCode(405)
        .body("resourceType", equalTo("OperationOutcome"));
    given().auth().oauth2(clinician).get("/fhir/Observation").then().statusCode(404);
  }

  /** A PCF Basic consent an admin records from the patient's signed form: share with everyone. */
  static String paperConsent(String patientId) {
    Consent c = new Consent();
    c.setStatus(Consent.ConsentState.ACTIVE);
    c.setScope(
        new CodeableConcept(
            new Coding(ConsentValidator.SCOPE_SYSTEM, ConsentValidator.SCOPE_PRIVACY, null)));
    c.addCategory(
        new CodeableConcept(
            new Coding(ConsentValidator.LOINC, ConsentValidator.CATEGORY_CODE, null)));
    c.setPatient(new Reference("Patient/" + patientId));
    c.addPolicy().setUri(ConsentValidator.POLICY_OPT_OUT);
    c.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
    return FhirContextProducer.r4().newJsonParser().encodeResourceToString(c);
  }

  String somePatientId(String clinician) {
    String mrn = FhirStudies.mrn();
    published("ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn));
    var bundle =
        FhirContextProducer.r4()
            .newJsonParser()
            .parseResource(
                org.hl7.fhir.r4.model.Bundle.class,
                get(
                    clinician,
                    "/fhir/Patient?identifier=" + FhirStudies.mrnSystem("hospital-a") + "|" + mrn,
                    200));
    return ((Patient) bundle.getEntryFirstRep().getResource()).getIdElement().getIdPart();
  }
}
