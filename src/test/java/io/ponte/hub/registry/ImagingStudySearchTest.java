package io.ponte.hub.registry;

import static io.ponte.testing.HubFhir.identifier;
import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Clinicians and patients find studies; everyone else is refused, with OperationOutcome. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ImagingStudySearchTest {

  static final String NODE_A = "ponte-node-hospital-a";
  static final String NODE_B = "ponte-node-hospital-b";

  @TestHTTPResource("/fhir")
  URL fhir;

  @Inject FhirValidation validation;

  @Inject SiteDirectory directory;

  @BeforeEach
  void warmValidator() {
    validation.warm();
  }

  IGenericClient clinician() {
    return HubFhir.client(fhir.toString(), Tokens.user("ana.clinic"));
  }

  Bundle search(IGenericClient client, ICriterion<?>... criteria) {
    var query = client.search().forResource(ImagingStudy.class);
    for (ICriterion<?> c : criteria) {
      query = query.and(c);
    }
    return query.returnBundle(Bundle.class).execute();
  }

  static Set<String> uids(Bundle bundle) {
    Set<String> uids = new HashSet<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      uids.add(
          ((ImagingStudy) e.getResource())
              .getIdentifierFirstRep()
              .getValue()
              .substring("urn:oid:".length()));
    }
    return uids;
  }

  @Test
  void clinicianFindsStudiesByChainedPatientIdentifier() {
    String mrn = FhirStudies.mrn();
    var one = FhirStudies.study("hospital-a", mrn);
    var two = FhirStudies.study("hospital-a", mrn).started("2023-01-01T08:00:00Z");
    published(NODE_A, one);
    published(NODE_A, two);
    published(NODE_A, FhirStudies.study("hospital-a", FhirStudies.mrn()));
    Bundle bundle =
        search(
            clinician(),
            ImagingStudy.PATIENT.hasChainedProperty(
                Patient.IDENTIFIER
                    .exactly()
                    .systemAndCode(FhirStudies.mrnSystem("hospital-a"), mrn)));
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    assertThat(bundle.getTotal()).isEqualTo(2);
    assertThat(uids(bundle)).containsExactlyInAnyOrder(one.uidValue(), two.uidValue());
    // Newest first.
    assertThat(
            ((ImagingStudy) bundle.getEntryFirstRep().getResource())
                .getIdentifierFirstRep()
                .getValue())
        .endsWith(one.uidValue());
  }

  @Test
  void clinicianFindsAStudyByItsStudyInstanceUid() {
    var study = FhirStudies.study("hospital-b", FhirStudies.mrn());
    published(NODE_B, study);
    Bundle bundle =
        search(
            clinician(),
            ImagingStudy.IDENTIFIER
                .exactly()
                .systemAndIdentifier("urn:dicom:uid", "urn:oid:" + study.uidValue()));
    assertThat(uids(bundle)).containsExactly(study.uidValue());
    Bundle other =
        search(
            clinician(),
            ImagingStudy.IDENTIFIER
                .exactly()
                .systemAndIdentifier("urn:example:accession", "urn:oid:" + study.uidValue()));
    assertThat(other.getEntry()).isEmpty();
  }

  @Test
  void startedRangesFollowPrefixAndDatePrecision() {
    String mrn = FhirStudies.mrn();
    var december = FhirStudies.study("hospital-a", mrn).started("2023-12-31T23:30:00Z");
    var march = FhirStudies.study("hospital-a", mrn).started("2024-03-05T10:15:00Z");
    var june = FhirStudies.study("hospital-a", mrn).started("2024-06-01T00:00:00Z");
    for (var s : List.of(december, march, june)) {
      published(NODE_A, s);
    }
    var patient =
        ImagingStudy.PATIENT.hasChainedProperty(
            Patient.IDENTIFIER.exactly().systemAndCode(FhirStudies.mrnSystem("hospital-a"), mrn));
    assertThat(
            uids(
                search(
                    clinician(),
                    patient,
                    ImagingStudy.STARTED.afterOrEquals().day("2024-01-01"),
                    ImagingStudy.STARTED.beforeOrEquals().day("2024-03-31"))))
        .containsExactly(march.uidValue());
    assertThat(uids(byStarted(mrn, "eq2024-03-05"))).containsExactly(march.uidValue());
    assertThat(uids(byStarted(mrn, "2024-03"))).containsExactly(march.uidValue());
    assertThat(uids(byStarted(mrn, "lt2024"))).containsExactly(december.uidValue());
    assertThat(uids(byStarted(mrn, "le2023"))).containsExactly(december.uidValue());
    assertThat(uids(byStarted(mrn, "gt2024-03-05"))).containsExactly(june.uidValue());
    assertThat(uids(byStarted(mrn, "ge2024-03-05T10:15:00Z")))
        .containsExactlyInAnyOrder(march.uidValue(), june.uidValue());
    assertThat(uids(byStarted(mrn, "eq2024")))
        .containsExactlyInAnyOrder(march.uidValue(), june.uidValue());
  }

  Bundle byStarted(String mrn, String started) {
    String url =
        "ImagingStudy?patient.identifier="
            + FhirStudies.mrnSystem("hospital-a")
            + "%7C"
            + mrn
            + "&started="
            + started;
    return clinician().search().byUrl(url).returnBundle(Bundle.class).execute();
  }

  @Test
  void lastUpdatedSelectsByWhenTheHubLastChangedTheStudy() {
    String mrn = FhirStudies.mrn();
    var study = FhirStudies.study("hospital-a", mrn);
    published(NODE_A, study);
    String base =
        "ImagingStudy?patient.identifier=" + FhirStudies.mrnSystem("hospital-a") + "%7C" + mrn;
    String anHourAgo =
        java.time.Instant.now()
            .minus(1, java.time.temporal.ChronoUnit.HOURS)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString();
    assertThat(
            uids(
                clinician()
                    .search()
                    .byUrl(base + "&_lastUpdated=ge" + anHourAgo)
                    .returnBundle(Bundle.class)
                    .execute()))
        .containsExactly(study.uidValue());
    assertThat(
            uids(
                clinician()
                    .search()
                    .byUrl(base + "&_lastUpdated=lt" + anHourAgo)
                    .returnBundle(Bundle.class)
                    .execute()))
        .isEmpty();
  }

  @Test
  void modalityMatchesByCodeOrBySystemAndCode() {
    String mrn = FhirStudies.mrn();
    var ct = FhirStudies.study("hospital-a", mrn).modalities("CT");
    var mr = FhirStudies.study("hospital-a", mrn).modalities("MR", "SR");
    published(NODE_A, ct);
    published(NODE_A, mr);
    var patient =
        ImagingStudy.PATIENT.hasChainedProperty(
            Patient.IDENTIFIER.exactly().systemAndCode(FhirStudies.mrnSystem("hospital-a"), mrn));
    assertThat(uids(search(clinician(), patient, ImagingStudy.MODALITY.exactly().code("MR"))))
        .containsExactly(mr.uidValue());
    assertThat(
            uids(
                search(
                    clinician(),
                    patient,
                    ImagingStudy.MODALITY.exactly().systemAndCode(FhirStudies.DCM, "CT"))))
        .containsExactly(ct.uidValue());
    assertThat(
            uids(
                search(
                    clinician(),
                    patient,
                    ImagingStudy.MODALITY
                        .exactly()
                        .systemAndCode("http://example.org/other", "CT"))))
        .isEmpty();
    assertThat(
            uids(search(clinician(), patient, ImagingStudy.MODALITY.exactly().codes("SR", "CT"))))
        .containsExactlyInAnyOrder(ct.uidValue(), mr.uidValue());
  }

  @Test
  void pagingLinksWalkEveryMatchOnceOnThePublicUrl() {
    String mrn = FhirStudies.mrn();
    Set<String> expected = new HashSet<>();
    for (int day = 1; day <= 5; day++) {
      var s = FhirStudies.study("hospital-a", mrn).started("2024-02-0" + day + "T09:00:00Z");
      published(NODE_A, s);
      expected.add(s.uidValue());
    }
    String token = Tokens.user("ana.clinic");
    String publicBase = directory.fhirBase();
    String next =
        "/fhir/ImagingStudy?patient.identifier="
            + FhirStudies.mrnSystem("hospital-a")
            + "|"
            + mrn
            + "&_count=2";
    List<String> seen = new ArrayList<>();
    int pages = 0;
    String previous = null;
    while (next != null) {
      JsonPath page =
          given()
              .auth()
              .oauth2(token)
              .urlEncodingEnabled(pages == 0)
              .get(next)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(page.getInt("total")).isEqualTo(5);
      assertThat(page.getString("link.find { it.relation == 'self' }.url"))
          .startsWith(publicBase + "/ImagingStudy?");
      seen.addAll(page.getList("entry.collect { it.resource.identifier[0].value }", String.class));
      previous = page.getString("link.find { it.relation == 'previous' }.url");
      if (pages > 0) {
        assertThat(previous).startsWith(publicBase);
      }
      String link = page.getString("link.find { it.relation == 'next' }.url");
      next = link == null ? null : "/fhir" + link.substring(publicBase.length());
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    assertThat(seen.stream().map(v -> v.substring("urn:oid:".length())).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aSearchByAnyOneLocalIdentifierFindsTheStudiesOfAllLinkedIdentifiers() {
    String mrnA = FhirStudies.mrn();
    String mrnB = FhirStudies.mrn();
    var atA = FhirStudies.study("hospital-a", mrnA);
    var atB = FhirStudies.study("hospital-b", mrnB);
    published(NODE_A, atA);
    published(NODE_B, atB);
    var byA =
        ImagingStudy.PATIENT.hasChainedProperty(
            Patient.IDENTIFIER.exactly().systemAndCode(FhirStudies.mrnSystem("hospital-a"), mrnA));
    assertThat(uids(search(clinician(), byA))).containsExactly(atA.uidValue());

    HubFhir.link(
        "REG-T" + mrnA.substring(4),
        List.of(identifier("hospital-a", mrnA), identifier("hospital-b", mrnB)));

    assertThat(uids(search(clinician(), byA)))
        .containsExactlyInAnyOrder(atA.uidValue(), atB.uidValue());
    var byB =
        ImagingStudy.PATIENT.hasChainedProperty(
            Patient.IDENTIFIER.exactly().systemAndCode(FhirStudies.mrnSystem("hospital-b"), mrnB));
    assertThat(uids(search(clinician(), byB)))
        .containsExactlyInAnyOrder(atA.uidValue(), atB.uidValue());
    // The same by Patient id.
    Bundle patients =
        clinician()
            .search()
            .forResource(Patient.class)
            .where(
                Patient.IDENTIFIER
                    .exactly()
                    .systemAndCode(FhirStudies.mrnSystem("hospital-b"), mrnB))
            .returnBundle(Bundle.class)
            .execute();
    Patient patientB = (Patient) patients.getEntryFirstRep().getResource();
    assertThat(patientB.getLink()).hasSize(1);
    assertThat(
            uids(
                search(
                    clinician(), ImagingStudy.PATIENT.hasId(patientB.getIdElement().getIdPart()))))
        .containsExactlyInAnyOrder(atA.uidValue(), atB.uidValue());
  }

  @Test
  void patientSeesOnlyTheStudiesOfTheirOwnLinkedIdentifiers() {
    String mine = FhirStudies.mrn();
    var own = FhirStudies.study("hospital-a", mine);
    var someoneElse = FhirStudies.study("hospital-a", FhirStudies.mrn());
    String ownId = published(NODE_A, own);
    String otherId = published(NODE_A, someoneElse);
    HubFhir.link("REG-000001", List.of(identifier("hospital-a", mine)));

    IGenericClient maria = HubFhir.client(fhir.toString(), Tokens.user("maria.patient"));
    Bundle all =
        maria
            .search()
            .forResource(ImagingStudy.class)
            .count(200)
            .returnBundle(Bundle.class)
            .execute();
    assertThat(uids(all)).contains(own.uidValue()).doesNotContain(someoneElse.uidValue());
    for (Bundle.BundleEntryComponent e : all.getEntry()) {
      assertThat(((ImagingStudy) e.getResource()).getSubject().getIdentifier().getValue())
          .isEqualTo(mine);
    }
    Bundle other =
        maria
            .search()
            .forResource(ImagingStudy.class)
            .where(
                ImagingStudy.IDENTIFIER
                    .exactly()
                    .systemAndIdentifier("urn:dicom:uid", "urn:oid:" + someoneElse.uidValue()))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(other.getEntry()).isEmpty();
    String otherPatient =
        HubFhir.publish(NODE_A, someoneElse)
            .then()
            .statusCode(200)
            .extract()
            .path("subject.reference");
    // SMART Imaging Access: a patient-context token naming another person is refused, not answered
    // with an empty page that would read as "no studies".
    assertThatThrownBy(
            () ->
                maria
                    .search()
                    .forResource(ImagingStudy.class)
                    .where(ImagingStudy.PATIENT.hasId(otherPatient))
                    .returnBundle(Bundle.class)
                    .execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException.class);
    assertThat(
            maria
                .read()
                .resource(ImagingStudy.class)
                .withId(ownId)
                .execute()
                .getIdElement()
                .getIdPart())
        .isEqualTo(ownId);
    assertThatThrownBy(() -> maria.read().resource(ImagingStudy.class).withId(otherId).execute())
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Nested
  class Refusals {

    @Test
    void deniesSearchToNodes() {
      given()
          .auth()
          .oauth2(Tokens.client(NODE_A))
          .get("/fhir/ImagingStudy")
          .then()
          .statusCode(403)
          .contentType(startsWith(HubFhir.FHIR_JSON))
          .body("resourceType", equalTo("OperationOutcome"))
          .body("issue[0].details.coding[0].code", equalTo("ponte:forbidden"));
    }

    @Test
    void deniesImagingStudiesToTheAuthorityButNotTheDirectory() {
      String token = Tokens.user("rita.authority");
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/ImagingStudy")
          .then()
          .statusCode(403)
          .body("resourceType", equalTo("OperationOutcome"));
      String id = published(NODE_A, FhirStudies.study("hospital-a", FhirStudies.mrn()));
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/ImagingStudy/" + id)
          .then()
          .statusCode(403)
          .body("resourceType", equalTo("OperationOutcome"));
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/Organization")
          .then()
          .statusCode(200)
          .body("total", equalTo(3));
      given().auth().oauth2(token).get("/fhir/Endpoint/hospital-b-dicomweb").then().statusCode(200);
      given().auth().oauth2(token).get("/fhir/Patient?identifier=x").then().statusCode(403);
    }

    @Test
    void deniesAnonymousSearchAs401OperationOutcome() {
      given()
          .get("/fhir/ImagingStudy")
          .then()
          .statusCode(401)
          .contentType(startsWith(HubFhir.FHIR_JSON))
          .body("resourceType", equalTo("OperationOutcome"))
          .body("issue[0].details.coding[0].code", equalTo("ponte:unauthenticated"));
      given()
          .auth()
          .oauth2("not-a-token")
          .get("/fhir/ImagingStudy/x")
          .then()
          .statusCode(401)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void refusesUnknownSearchParametersAndBadValuesWith400() {
      String token = Tokens.user("ana.clinic");
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/ImagingStudy?bodysite=chest")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/ImagingStudy?started=yesterday")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
      given().auth().oauth2(token).get("/fhir/ImagingStudy?started=sa2024").then().statusCode(400);
      given().auth().oauth2(token).get("/fhir/ImagingStudy?_count=-1").then().statusCode(400);
    }

    @Test
    void answersUnknownResourcesAndIdsWith404OperationOutcome() {
      String token = Tokens.user("ana.clinic");
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/ImagingStudy/no-such-study")
          .then()
          .statusCode(404)
          .body("resourceType", equalTo("OperationOutcome"))
          .body("issue[0].code", equalTo("not-found"));
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/Observation")
          .then()
          .statusCode(404)
          .body("resourceType", equalTo("OperationOutcome"));
      given()
          .auth()
          .oauth2(token)
          .get("/fhir/Organization/nowhere")
          .then()
          .statusCode(404)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void keepsProblemJsonOutsideFhir() {
      given()
          .get("/api/me")
          .then()
          .statusCode(401)
          .contentType(startsWith("application/problem+json"));
    }
  }
}
