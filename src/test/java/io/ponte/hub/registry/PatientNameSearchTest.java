package io.ponte.hub.registry;

import static io.ponte.testing.HubFhir.identifier;
import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.agroal.api.AgroalDataSource;
import io.ponte.hub.consent.SearchScope;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One person spelled three ways at two hospitals (Gonçalves at A; GONCALVES and, under a third,
 * linked identifier, Souza at B): a name search folds accents and case and follows identity links,
 * in FHIR {@code Patient?name=} (PDQm) and in QIDO-RS {@code PatientName}.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PatientNameSearchTest {

  static final String TAG = letters(8);
  static String mrnA;
  static String mrnB;
  static String mrnSouza;
  static String studyA;
  static String studyB;
  static String studySouza;

  @BeforeEach
  void publishOnce() {
    if (mrnA != null) {
      return;
    }
    mrnA = FhirStudies.mrn();
    mrnB = FhirStudies.mrn();
    mrnSouza = FhirStudies.mrn();
    var a = FhirStudies.study("hospital-a", mrnA).name("Gonçalves" + TAG, "Maria");
    var b = FhirStudies.study("hospital-b", mrnB).name("GONCALVES" + TAG.toUpperCase(), "MARIA");
    var souza = FhirStudies.study("hospital-b", mrnSouza).name("Souza" + TAG, "Maria");
    published("ponte-node-hospital-a", a);
    published("ponte-node-hospital-b", b);
    published("ponte-node-hospital-b", souza);
    studyA = a.uidValue();
    studyB = b.uidValue();
    studySouza = souza.uidValue();
    HubFhir.link(
        "REG-N" + TAG.toUpperCase(),
        List.of(
            identifier("hospital-a", mrnA),
            identifier("hospital-b", mrnB),
            identifier("hospital-b", mrnSouza)));
  }

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user));
  }

  @Nested
  @DisplayName("FHIR Patient search (PDQm)")
  class FhirPatient {

    @Test
    void nameFoldsAccentsAndCase() {
      for (String name : List.of("goncalves" + TAG, "GONÇALVES" + TAG.toUpperCase(), "Gonç")) {
        as("ana.clinic")
            .queryParam("name", name)
            .queryParam("birthdate", "1970-01-02")
            .queryParam("_count", "200")
            .get("/fhir/Patient")
            .then()
            .statusCode(200)
            .body("entry.resource.identifier.value.flatten()", hasItem(mrnA))
            .body("entry.resource.identifier.value.flatten()", hasItem(mrnB));
      }
    }

    @Test
    void aNameRunsAcrossWordsAndOrValuesEachFindTheirOwn() {
      // The index narrows by the value's first word only: the rest is the LIKE's to decide.
      as("ana.clinic")
          .queryParam("name", "goncalves" + TAG + " mar")
          .queryParam("_count", "200")
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(2))
          .body("entry.resource.identifier.value.flatten()", containsInAnyOrder(mrnA, mrnB));
      as("ana.clinic")
          .queryParam("name", "goncalves" + TAG + " mars")
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(0));
      as("ana.clinic")
          .queryParam("name", "zzq" + TAG + ",SOUZA" + TAG.toUpperCase())
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(1))
          .body("entry.resource.identifier.value.flatten()", hasItem(mrnSouza));
      as("ana.clinic")
          .queryParam("family", "SOUZ")
          .queryParam("given", "mari")
          .queryParam("name", "souza" + TAG)
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(1));
    }

    @Test
    void familyGivenBirthDateAndGenderNarrowTheSearch() {
      as("ana.clinic")
          .queryParam("family", "gonçalves" + TAG)
          .queryParam("given", "mar")
          .queryParam("birthdate", "1970-01")
          .queryParam("gender", "female")
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(2))
          .body("entry.resource.identifier.value.flatten()", containsInAnyOrder(mrnA, mrnB));
      as("ana.clinic")
          .queryParam("family", "goncalves" + TAG)
          .queryParam("birthdate", "1970-01-03")
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(0));
      // given matches the given names only, family the family name only
      as("ana.clinic")
          .queryParam("given", "goncalves" + TAG)
          .get("/fhir/Patient")
          .then()
          .statusCode(200)
          .body("total", equalTo(0));
    }

    @Test
    void aBadBirthDateOrGenderIsAnOperationOutcome() {
      as("ana.clinic")
          .queryParam("name", "goncalves")
          .queryParam("birthdate", "02/01/1970")
          .get("/fhir/Patient")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
      as("ana.clinic")
          .queryParam("name", "goncalves")
          .queryParam("gender", "f")
          .get("/fhir/Patient")
          .then()
          .statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void aPatientMayNotSearchPatients() {
      as("maria.patient")
          .queryParam("name", "goncalves" + TAG)
          .get("/fhir/Patient")
          .then()
          .statusCode(403);
    }
  }

  @Nested
  @DisplayName("QIDO-RS PatientName at the hub")
  class Qido {

    @Test
    void eitherSpellingWithAWildcardFindsTheStudiesAtBothHospitalsAndLinkedOnes() {
      for (String name : List.of("Gonçalves" + TAG + "*", "Goncalves" + TAG + "*")) {
        as("ana.clinic")
            .queryParam("PatientName", name)
            .get("/dicomweb/studies")
            .then()
            .statusCode(200)
            .body("'0020000D'.Value.flatten()", containsInAnyOrder(studyA, studyB, studySouza));
      }
    }

    @Test
    void fuzzyMatchingFoldsAccentsAndCase() {
      as("ana.clinic")
          .queryParam("PatientName", "GONCALVES" + TAG.toUpperCase() + " mar")
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", containsInAnyOrder(studyA, studyB, studySouza));
    }

    @Test
    void fuzzyMatchingFindsAnyWordStartAndAWildcardInsideAWord() {
      for (String name :
          List.of(
              "maria gonçalves" + TAG,
              "gonc?lves" + TAG,
              "MAR GONCALVES" + TAG.substring(0, 3).toUpperCase())) {
        as("ana.clinic")
            .queryParam("PatientName", name)
            .queryParam("fuzzymatching", "true")
            .queryParam("limit", "1000")
            .get("/dicomweb/studies")
            .then()
            .statusCode(200)
            .body("'0020000D'.Value.flatten()", hasItems(studyA, studyB));
      }
      as("ana.clinic")
          .queryParam("PatientName", "onçalves" + TAG)
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void fuzzyMatchingFollowsAPatientsNewName() {
      String mrn = FhirStudies.mrn();
      published(
          "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).name("Ferro" + TAG, "Ana"));
      var renamed = FhirStudies.study("hospital-a", mrn).name("Brasil" + TAG, "Ana");
      published("ponte-node-hospital-a", renamed);
      as("ana.clinic")
          .queryParam("PatientName", "brasil" + TAG)
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", hasItems(renamed.uidValue()));
      as("ana.clinic")
          .queryParam("PatientName", "ferro" + TAG)
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }
  }

  @Inject RegisteredStudies registered;

  @Inject
  @DataSource("hub")
  AgroalDataSource hubDatabase;

  @Nested
  @DisplayName("PatientName routes (NameRoute)")
  class Routes {

    /**
     * The route only shapes the SQL: from the persons (driven by each prefix) and by date give the
     * same page, linked spellings and paging included.
     */
    @Test
    void fromThePersonsAndByDateGiveTheSamePage() throws Exception {
      List<StudyMatch.PatientName> names =
          List.of(
              new StudyMatch.PatientName("Gonçalves" + TAG + "*", false),
              new StudyMatch.PatientName("souza" + TAG, false),
              new StudyMatch.PatientName("SOUZA" + TAG + "^mar*", false),
              new StudyMatch.PatientName("souza" + TAG + " mar", true),
              new StudyMatch.PatientName("maria gonc?lves" + TAG, true),
              new StudyMatch.PatientName("maria onçalves" + TAG, true));
      try (Connection c = hubDatabase.getConnection()) {
        for (StudyMatch.PatientName name : names) {
          StudyMatch match = new StudyMatch(null, List.of(name));
          List<String> all = uids(c, match, NameRoute.BY_DATE, 100, 0);
          List<String> page = uids(c, match, NameRoute.BY_DATE, 2, 1);
          int prefixes = NamePrefixes.ranges(name).size();
          List<List<Integer>> intersected = new ArrayList<>();
          for (int k = 0; k < prefixes; k++) {
            intersected.add(List.of(k));
          }
          intersected.add(IntStream.range(0, prefixes).boxed().toList());
          for (List<Integer> ranges : intersected) {
            NameRoute.Route persons = new NameRoute.FromPersons(ranges);
            assertThat(uids(c, match, persons, 100, 0)).as(name.toString()).isEqualTo(all);
            assertThat(uids(c, match, persons, 2, 1)).as(name.toString()).isEqualTo(page);
          }
          if (name.value().startsWith("maria onç")) {
            assertThat(all).isEmpty();
          } else {
            // Souza is linked to both Gonçalves records: every spelling finds all three studies.
            assertThat(all).containsExactlyInAnyOrder(studyA, studyB, studySouza);
          }
        }
      }
    }

    private List<String> uids(
        Connection c, StudyMatch match, NameRoute.Route route, int limit, int offset)
        throws Exception {
      StudyMatch.PatientName name = (StudyMatch.PatientName) match.criteria().get(0);
      return registered
          .search(c, match, Map.of(name, route), SearchScope.UNRESTRICTED, limit, offset)
          .studies()
          .stream()
          .map(StudySummary::studyUid)
          .toList();
    }
  }

  private static String letters(int n) {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + random.nextInt(26)));
    }
    return b.toString();
  }
}
