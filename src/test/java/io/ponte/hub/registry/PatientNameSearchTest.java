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
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  /** ana.clinic's search at {@code path} with these query parameters (name, value, name, …). */
  static ValidatableResponse search(String path, String... params) {
    RequestSpecification request = as("ana.clinic");
    for (int i = 0; i < params.length; i += 2) {
      request.queryParam(params[i], params[i + 1]);
    }
    return request.get(path).then();
  }

  static ValidatableResponse patients(String... params) {
    return search("/fhir/Patient", params);
  }

  static final String FOUND = "entry.resource.identifier.value.flatten()";

  @Nested
  @DisplayName("FHIR Patient search (PDQm)")
  class FhirPatient {

    @Test
    void nameFoldsAccentsAndCase() {
      for (String name : List.of("goncalves" + TAG, "GONÇALVES" + TAG.toUpperCase(), "Gonç")) {
        patients("name", name, "birthdate", "1970-01-02", "_count", "200")
            .statusCode(200)
            .body(FOUND, hasItem(mrnA))
            .body(FOUND, hasItem(mrnB));
      }
    }

    @Test
    void aNameRunsAcrossWordsAndOrValuesEachFindTheirOwn() {
      // "mar" is a word's prefix: its range must not be read as the whole word.
      patients("name", "goncalves" + TAG + " mar", "_count", "200")
          .statusCode(200)
          .body("total", equalTo(2))
          .body(FOUND, containsInAnyOrder(mrnA, mrnB));
      patients("name", "goncalves" + TAG + " mars").statusCode(200).body("total", equalTo(0));
      patients("name", "zzq" + TAG + ",SOUZA" + TAG.toUpperCase())
          .statusCode(200)
          .body("total", equalTo(1))
          .body(FOUND, hasItem(mrnSouza));
      patients("family", "SOUZ", "given", "mari", "name", "souza" + TAG)
          .statusCode(200)
          .body("total", equalTo(1));
    }

    /**
     * Each word of a value is a range on the name's words (a rare second word narrows as well as
     * the first), and the LIKE still decides: every word in the name's order, the last one a
     * prefix, accents folded.
     */
    @Test
    void everyWordOfAValueFindsTheNameWhereItStands() {
      String mrn = FhirStudies.mrn();
      published(
          "ponte-node-hospital-a",
          FhirStudies.study("hospital-a", mrn).name("Lima" + TAG + " Côrte" + TAG, "Ana Inês"));
      for (String name :
          List.of(
              "lima" + TAG + " corte" + TAG + " ana ine",
              "CÔRTE" + TAG.toUpperCase() + " ana",
              "corte" + TAG + " an")) {
        patients("name", name, "_count", "200").statusCode(200).body(FOUND, hasItem(mrn));
      }
      patients("name", "corte" + TAG + " ana ines")
          .statusCode(200)
          .body("total", equalTo(1))
          .body(FOUND, containsInAnyOrder(mrn));
      // The same words in another order, or a word the name lacks, find nobody.
      for (String name :
          List.of(
              "corte" + TAG + " lima" + TAG,
              "ana corte" + TAG,
              "lima" + TAG + " cortex" + TAG,
              "lima" + TAG + " ana")) {
        patients("name", name).statusCode(200).body("total", equalTo(0));
      }
      // Two words of the given names (the family narrowing to this run's patient).
      patients("name", "ana inês", "family", "lima" + TAG)
          .statusCode(200)
          .body("total", equalTo(1));
      patients("given", "ana ines", "family", "lima" + TAG)
          .statusCode(200)
          .body("total", equalTo(1));
      patients("given", "ines ana", "family", "lima" + TAG)
          .statusCode(200)
          .body("total", equalTo(0));
      patients("family", "LIMA" + TAG.toUpperCase() + " CÔRTE")
          .statusCode(200)
          .body("total", equalTo(1));
      patients("family", "corte" + TAG).statusCode(200).body("total", equalTo(0));
    }

    @Test
    void eachWordOfThreeLettersOrMoreIsARange() {
      assertThat(PatientReader.NameIndex.WORD.ranges("lima corte^ana in"))
          .containsExactly(
              new String[] {"lima", "limb"},
              new String[] {"corte", "cortf"},
              new String[] {"ana", "anb"});
      assertThat(PatientReader.NameIndex.WORD.ranges("da dos"))
          .containsExactly(new String[] {"dos", "dot"});
      assertThat(PatientReader.NameIndex.WORD.ranges("e la")).isEmpty();
      // The key is one prefix, its words included.
      assertThat(PatientReader.NameIndex.KEY.ranges("lima corte"))
          .containsExactly(new String[] {"lima corte", "lima cortf"});
      assertThat(PatientReader.NameIndex.KEY.ranges("li")).isEmpty();
    }

    @Test
    void aCommonWordBesideARareOneIsLeftToTheLike() {
      assertThat(NameRoute.intersected(new long[] {40_000, 12, 90})).containsExactly(1, 2);
      assertThat(NameRoute.intersected(new long[] {0, 5})).containsExactly(0, 1);
      assertThat(NameRoute.intersected(new long[] {100, 801})).containsExactly(0);
    }

    @Test
    void familyGivenBirthDateAndGenderNarrowTheSearch() {
      patients(
              "family", "gonçalves" + TAG,
              "given", "mar",
              "birthdate", "1970-01",
              "gender", "female")
          .statusCode(200)
          .body("total", equalTo(2))
          .body(FOUND, containsInAnyOrder(mrnA, mrnB));
      patients("family", "goncalves" + TAG, "birthdate", "1970-01-03")
          .statusCode(200)
          .body("total", equalTo(0));
      // given matches the given names only, family the family name only
      patients("given", "goncalves" + TAG).statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aBadBirthDateOrGenderIsAnOperationOutcome() {
      for (String[] bad :
          List.of(new String[] {"birthdate", "02/01/1970"}, new String[] {"gender", "f"})) {
        patients("name", "goncalves", bad[0], bad[1])
            .statusCode(400)
            .body("resourceType", equalTo("OperationOutcome"));
      }
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
        search("/dicomweb/studies", "PatientName", name)
            .statusCode(200)
            .body("'0020000D'.Value.flatten()", containsInAnyOrder(studyA, studyB, studySouza));
      }
    }

    @Test
    void fuzzyMatchingFoldsAccentsAndCase() {
      search(
              "/dicomweb/studies",
              "PatientName",
              "GONCALVES" + TAG.toUpperCase() + " mar",
              "fuzzymatching",
              "true")
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
        search("/dicomweb/studies", "PatientName", name, "fuzzymatching", "true", "limit", "1000")
            .statusCode(200)
            .body("'0020000D'.Value.flatten()", hasItems(studyA, studyB));
      }
      search("/dicomweb/studies", "PatientName", "onçalves" + TAG, "fuzzymatching", "true")
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
      search("/dicomweb/studies", "PatientName", "brasil" + TAG, "fuzzymatching", "true")
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", hasItems(renamed.uidValue()));
      search("/dicomweb/studies", "PatientName", "ferro" + TAG, "fuzzymatching", "true")
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

    /**
     * From the persons means from the persons: their set is found once (an InitPlan) and their
     * studies read by patient, whatever the planner makes of the set's size. As {@code in (...)} it
     * could walk the registry newest first instead, testing each study against the set.
     */
    @Test
    void fromThePersonsFindsThePersonsOnceThenTheirStudies() throws Exception {
      for (StudyMatch.PatientName name :
          List.of(
              new StudyMatch.PatientName("souza" + TAG + " mar", true),
              new StudyMatch.PatientName("Gonçalves" + TAG + "*", false))) {
        StudyMatch match = new StudyMatch(null, List.of(name));
        StudyMatchSql q =
            StudyMatchSql.page(
                match,
                Map.of(name, new NameRoute.FromPersons(List.of(0))),
                SearchScope.UNRESTRICTED,
                25,
                0);
        StringBuilder plan = new StringBuilder();
        try (Connection c = hubDatabase.getConnection();
            PreparedStatement ps = c.prepareStatement("explain " + q.sql())) {
          int i = RegisteredStudies.bind(c, ps, q.args);
          ps.setInt(i++, 25);
          ps.setInt(i, 0);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              plan.append(rs.getString(1)).append('\n');
            }
          }
        }
        assertThat(plan.toString())
            .as(name.toString())
            .containsPattern("InitPlan \\d+ \\(returns \\$(\\d+)\\)")
            .containsPattern("patient_id\\)::text = ANY \\(\\(\\$\\d+\\)::text\\[\\]\\)");
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
