package io.ponte.hub.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;

/**
 * A node publishes its own site's studies by conditional update; the hub stores them once and
 * serves its own endpoint.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ImagingStudyPublishTest {

  static final String NODE_A = "ponte-node-hospital-a";
  static final String NODE_B = "ponte-node-hospital-b";
  static final String FHIR_JSON = "application/fhir+json";

  @Inject ImagingStudyRepository studies;

  @Inject io.ponte.hub.fhir.FhirValidation validation;

  /**
   * The validator loads the R4 core profiles once (slow on a busy machine); not inside a request's
   * timeout.
   */
  @org.junit.jupiter.api.BeforeEach
  void warmValidator() {
    validation.warm();
  }

  @Inject
  @PersistenceUnit("hub")
  EntityManager em;

  static Response publish(String client, String uid, String body) {
    return given()
        .auth()
        .oauth2(Tokens.client(client))
        .contentType(FHIR_JSON)
        .body(body)
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + uid)
        .put("/fhir/ImagingStudy");
  }

  long storedCount(String uid) {
    return studies.count("studyInstanceUid", uid);
  }

  @Test
  void nodeCreatesItsSitesStudyWithLocationAndEtag() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    publish(NODE_A, study.uidValue(), study.json())
        .then()
        .statusCode(201)
        .contentType(startsWith(FHIR_JSON))
        .header("Location", containsString("/fhir/ImagingStudy/"))
        .header("Location", endsWith("/_history/1"))
        .header("ETag", equalTo("W/\"1\""))
        .body("resourceType", equalTo("ImagingStudy"))
        .body("meta.versionId", equalTo("1"))
        .body("meta.lastUpdated", notNullValue())
        .body("subject.reference", startsWith("Patient/"))
        .body("subject.identifier.value", notNullValue())
        .body("contained", equalTo(null));
    assertThat(storedCount(study.uidValue())).isEqualTo(1);
  }

  @Test
  void republishingTheSameContentChangesNothing() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    String json = study.json();
    Response first = publish(NODE_A, study.uidValue(), json);
    first.then().statusCode(201);
    publish(NODE_A, study.uidValue(), json)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("W/\"1\""))
        .body("meta.versionId", equalTo("1"))
        .body("meta.lastUpdated", equalTo(first.path("meta.lastUpdated")))
        .body("id", equalTo(first.path("id")));
    assertThat(storedCount(study.uidValue())).isEqualTo(1);
  }

  @Test
  void changedContentMakesANewVersion() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    String id =
        publish(NODE_A, study.uidValue(), study.json()).then().statusCode(201).extract().path("id");
    publish(NODE_A, study.uidValue(), study.description("CT chest with contrast").json())
        .then()
        .statusCode(200)
        .header("ETag", equalTo("W/\"2\""))
        .header("Location", endsWith("/ImagingStudy/" + id + "/_history/2"))
        .body("id", equalTo(id))
        .body("description", equalTo("CT chest with contrast"));
  }

  @Test
  void endpointIsAlwaysTheHubsOwnDicomWeb() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    Response response = publish(NODE_A, study.uidValue(), study.json());
    response
        .then()
        .statusCode(201)
        .body("endpoint", hasSize(1))
        .body("endpoint[0].reference", equalTo("Endpoint/hospital-a-dicomweb"))
        .body("series.findAll { it.endpoint != null }", hasSize(0))
        .body(not(containsString("10.0.0.7")))
        .body(not(containsString("node-private")));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/fhir/Endpoint/hospital-a-dicomweb")
        .then()
        .statusCode(200)
        .body("address", endsWith("/dicomweb"))
        .body("connectionType.code", equalTo("dicom-wado-rs"));
  }

  @Test
  void deniesPublishingForAnotherSitesPatient() {
    var study = FhirStudies.study("hospital-b", FhirStudies.mrn());
    publish(NODE_A, study.uidValue(), study.json())
        .then()
        .statusCode(403)
        .contentType(startsWith(FHIR_JSON))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("forbidden"))
        .body("issue[0].details.coding[0].code", equalTo("ponte:wrong-site"));
    assertThat(storedCount(study.uidValue())).isZero();
  }

  @Test
  void deniesOverwritingAnotherSitesStudyWithTheSameUid() {
    String uid = FhirStudies.uid();
    var original =
        FhirStudies.study("hospital-a", FhirStudies.mrn()).uid(uid).description("original");
    publish(NODE_A, uid, original.json()).then().statusCode(201);
    var hijack =
        FhirStudies.study("hospital-b", FhirStudies.mrn()).uid(uid).description("hijacked");
    // A final refusal, distinct from a node's credentials being wrong (403): the node stops
    // retrying this study.
    publish(NODE_B, uid, hijack.json())
        .then()
        .statusCode(409)
        .body("issue[0].code", equalTo("conflict"))
        .body("issue[0].details.coding[0].code", equalTo("ponte:study-owned-by-another-site"));
    ImagingStudyEntity stored = studies.findByUid(uid).orElseThrow();
    assertThat(stored.siteId).isEqualTo("hospital-a");
    assertThat(stored.versionId).isEqualTo(1);
    assertThat(stored.resourceJson).contains("original").doesNotContain("hijacked");
  }

  @Test
  void refusesStructurallyBrokenJsonWith400AndStoresNothing() {
    String uid = FhirStudies.uid();
    publish(NODE_A, uid, "{\"resourceType\":\"ImagingStudy\",\"status\":\"available\",\"bogus\":1}")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].details.coding[0].code", equalTo("ponte:bad-request"));
    publish(NODE_A, uid, "not json")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
    publish(NODE_A, uid, "{\"resourceType\":\"Patient\"}").then().statusCode(400);
    assertThat(storedCount(uid)).isZero();
  }

  @Test
  void refusesSemanticallyInvalidStudiesWith422AndStoresNothing() {
    String mrn = FhirStudies.mrn();
    // No status.
    ImagingStudy noStatus = FhirStudies.study("hospital-a", mrn).build();
    String uid1 = noStatus.getIdentifierFirstRep().getValue().substring("urn:oid:".length());
    noStatus.setStatus(null);
    assertInvalid(uid1, noStatus);
    // Bad series UID.
    ImagingStudy badSeries = FhirStudies.study("hospital-a", mrn).build();
    String uid2 = badSeries.getIdentifierFirstRep().getValue().substring("urn:oid:".length());
    badSeries.getSeriesFirstRep().setUid("1.2.abc");
    assertInvalid(uid2, badSeries);
    // Counts that do not add up.
    ImagingStudy badCount = FhirStudies.study("hospital-a", mrn).build();
    String uid3 = badCount.getIdentifierFirstRep().getValue().substring("urn:oid:".length());
    badCount.setNumberOfSeries(7);
    assertInvalid(uid3, badCount);
    // Subject without identifier.
    ImagingStudy noSubject = FhirStudies.study("hospital-a", mrn).build();
    String uid4 = noSubject.getIdentifierFirstRep().getValue().substring("urn:oid:".length());
    noSubject.getSubject().setIdentifier(null);
    assertInvalid(uid4, noSubject);
    // Modality from another code system.
    ImagingStudy badModality = FhirStudies.study("hospital-a", mrn).build();
    String uid5 = badModality.getIdentifierFirstRep().getValue().substring("urn:oid:".length());
    badModality.getModalityFirstRep().setSystem("http://example.org/modalities");
    assertInvalid(uid5, badModality);
    assertThat(
            em.createNativeQuery("select count(*) from patient where identifier_value = ?1")
                .setParameter(1, mrn)
                .getSingleResult())
        .isEqualTo(0L);
  }

  private void assertInvalid(String uid, ImagingStudy study) {
    String json =
        io.ponte.fhir.FhirContextProducer.r4().newJsonParser().encodeResourceToString(study);
    publish(NODE_A, uid, json)
        .then()
        .statusCode(422)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].details.coding[0].code", equalTo("ponte:invalid-resource"));
    assertThat(storedCount(uid)).isZero();
  }

  @Test
  void refusesAConditionalUpdateWhoseUrlAndResourceDisagree() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    publish(NODE_A, FhirStudies.uid(), study.json())
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .auth()
        .oauth2(Tokens.client(NODE_A))
        .contentType(FHIR_JSON)
        .body(study.json())
        .put("/fhir/ImagingStudy")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
    assertThat(storedCount(study.uidValue())).isZero();
  }

  @Test
  void deniesPublishingToClinicians() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    given()
        .auth()
        .oauth2(Tokens.user("bruno.hospa"))
        .contentType(FHIR_JSON)
        .body(study.json())
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + study.uidValue())
        .put("/fhir/ImagingStudy")
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
    assertThat(storedCount(study.uidValue())).isZero();
  }

  @Test
  void deniesPublishingWithoutATokenAs401OperationOutcome() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    given()
        .contentType(FHIR_JSON)
        .body(study.json())
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + study.uidValue())
        .put("/fhir/ImagingStudy")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("login"));
    assertThat(storedCount(study.uidValue())).isZero();
  }

  @Test
  void refusesNonJsonBodiesWith415OperationOutcome() {
    given()
        .auth()
        .oauth2(Tokens.client(NODE_A))
        .contentType("application/fhir+xml")
        .body("<ImagingStudy/>")
        .queryParam("identifier", "urn:dicom:uid|urn:oid:1.2.3")
        .put("/fhir/ImagingStudy")
        .then()
        .statusCode(415)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void updateByIdUpdatesButNeverCreates() {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    String id =
        publish(NODE_A, study.uidValue(), study.json()).then().statusCode(201).extract().path("id");
    given()
        .auth()
        .oauth2(Tokens.client(NODE_A))
        .contentType(FHIR_JSON)
        .body(study.description("re-read").json())
        .put("/fhir/ImagingStudy/" + id)
        .then()
        .statusCode(200)
        .body("meta.versionId", equalTo("2"));
    var other = FhirStudies.study("hospital-a", FhirStudies.mrn());
    given()
        .auth()
        .oauth2(Tokens.client(NODE_A))
        .contentType(FHIR_JSON)
        .body(other.json())
        .put("/fhir/ImagingStudy/does-not-exist")
        .then()
        .statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"));
    assertThat(storedCount(other.uidValue())).isZero();
  }
}
