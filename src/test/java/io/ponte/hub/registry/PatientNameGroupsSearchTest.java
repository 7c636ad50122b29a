package io.ponte.hub.registry;

import static io.ponte.testing.HubFhir.patientByMrn;
import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.ponte.hub.consent.SearchScope;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * QIDO-RS PatientName at the hub matches any component group of a DICOM name (PS3.4 C.2.2.2.1):
 * "Yamada^Tarou=山田^太郎=やまだ^たろう", published by a node as three HumanNames (the other two marked with
 * their ISO 21090 representation), is found by its ideographic and its phonetic group too, and the
 * answers give every group: QIDO-RS's PN object, FHIR Patient's names.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PatientNameGroupsSearchTest {

  static final SecureRandom RANDOM = new SecureRandom();

  /** Run-unique names: the registry keeps earlier runs' patients. */
  static final String ALPHABETIC = "Yamada" + letters(8);

  static final String IDEOGRAPHIC = "山田" + ideographs(4);
  static final String PHONETIC = "やまだ" + kana(6);

  static String study;

  static final String MRN = FhirStudies.mrn();

  @Inject RegisteredStudies registered;

  @Inject
  @DataSource("hub")
  AgroalDataSource hubDatabase;

  @BeforeEach
  void publishOnce() {
    if (study != null) {
      return;
    }
    var s = threeGroups(MRN, ALPHABETIC, IDEOGRAPHIC, PHONETIC);
    published("ponte-node-hospital-a", s);
    study = s.uidValue();
  }

  static FhirStudies.Builder threeGroups(
      String mrn, String alphabetic, String ideographic, String phonetic) {
    return FhirStudies.study("hospital-a", mrn)
        .name(alphabetic, "Tarou")
        .otherName("IDE", ideographic, "太郎")
        .otherName("SYL", phonetic, "たろう");
  }

  static ValidatableResponse qido(String patientName, String... more) {
    var request =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .queryParam("PatientName", patientName)
            .queryParam("limit", 1000);
    for (int i = 0; i < more.length; i += 2) {
      request.queryParam(more[i], more[i + 1]);
    }
    return request.get("/dicomweb/studies").then().statusCode(200);
  }

  static final String UIDS = "'0020000D'.Value.flatten()";

  @Test
  void theIdeographicAndPhoneticGroupsFindTheStudy() {
    for (String name :
        List.of(
            IDEOGRAPHIC + "*",
            IDEOGRAPHIC,
            IDEOGRAPHIC + "^太郎",
            IDEOGRAPHIC.substring(0, 3) + "*",
            PHONETIC + "*",
            PHONETIC + "^たろう")) {
      qido(name).body(UIDS, hasItem(study));
    }
    qido("太郎 " + IDEOGRAPHIC.substring(0, 4), "fuzzymatching", "true").body(UIDS, hasItem(study));
    qido("たろう " + PHONETIC, "fuzzymatching", "true").body(UIDS, hasItem(study));
  }

  /** The study's PatientName in a QIDO-RS answer (PS3.18 F.2.2: a PN object of groups). */
  static Object answeredName(String studyUid, String patientName) {
    return qido(patientName)
        .extract()
        .path("find { it.'0020000D'.Value[0] == '" + studyUid + "' }.'00100010'.Value[0]");
  }

  /** ana.clinic's FHIR Patient search by the hub Patient's MRN: exactly one. */
  static ValidatableResponse patient(String mrn) {
    return patientByMrn("hospital-a", mrn).body("total", equalTo(1));
  }

  static final String REPRESENTATION =
      "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

  @Test
  void theQidoAnswerGivesEveryGroupAsPublished() {
    Map<String, String> all =
        Map.of(
            "Alphabetic", ALPHABETIC + "^Tarou",
            "Ideographic", IDEOGRAPHIC + "^太郎",
            "Phonetic", PHONETIC + "^たろう");
    assertThat(answeredName(study, IDEOGRAPHIC + "*")).isEqualTo(all);
    assertThat(answeredName(study, ALPHABETIC.toLowerCase() + "*")).isEqualTo(all);
  }

  @Test
  void theFhirPatientCarriesTheOtherNamesWithTheirRepresentation() {
    String id = patient(MRN).extract().path("entry[0].resource.id");
    for (ValidatableResponse answer :
        List.of(
            patient(MRN).rootPath("entry[0].resource"),
            given()
                .auth()
                .oauth2(Tokens.user("ana.clinic"))
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(200))) {
      answer
          .body("name.family", contains(ALPHABETIC, IDEOGRAPHIC, PHONETIC))
          .body("name.given", contains(List.of("Tarou"), List.of("太郎"), List.of("たろう")))
          .body("name[0].extension", nullValue())
          .body("name[1].extension.url", contains(REPRESENTATION))
          .body("name[1].extension.valueCode", contains("IDE"))
          .body("name[2].extension.url", contains(REPRESENTATION))
          .body("name[2].extension.valueCode", contains("SYL"));
    }
  }

  /**
   * Two names of one group: the answer gives the first by its folded key (whatever order they were
   * published in), and a group the patient has no name of is left out.
   */
  @Test
  void theAnswerGivesTheFirstNameOfAGroupByItsKey() {
    String alphabetic = "Yamada" + letters(8);
    String ideographic = "Ide" + letters(8);
    var s =
        FhirStudies.study("hospital-a", FhirStudies.mrn())
            .name(alphabetic, "Tarou")
            .otherName("IDE", ideographic, "b")
            .otherName("IDE", ideographic, "a");
    published("ponte-node-hospital-a", s);
    assertThat(answeredName(s.uidValue(), alphabetic + "*"))
        .isEqualTo(Map.of("Alphabetic", alphabetic + "^Tarou", "Ideographic", ideographic + "^a"));
  }

  @Test
  void aNameNoGroupStartsWithFindsNothing() {
    qido("山田" + ideographs(4) + "*").body("$", empty());
    qido(IDEOGRAPHIC.substring(1) + "*").body(UIDS, not(hasItem(study)));
    qido(IDEOGRAPHIC + "^次郎").body(UIDS, not(hasItem(study)));
    // A value with '=' names its groups: matched on the name alone, as before.
    qido(ALPHABETIC + "=" + IDEOGRAPHIC + "*").body("$", empty());
  }

  @Test
  void theAlphabeticGroupStillFindsTheStudy() {
    qido(ALPHABETIC.toUpperCase() + "*").body(UIDS, hasItem(study));
    qido(ALPHABETIC.toLowerCase() + "^tarou").body(UIDS, hasItem(study));
    qido("tarou " + ALPHABETIC.substring(0, 10), "fuzzymatching", "true")
        .body(UIDS, hasItem(study));
  }

  @Test
  void aPublicationWithoutTheGroupsRemovesThem() {
    String mrn = FhirStudies.mrn();
    String alphabetic = "Yamada" + letters(8);
    String ideographic = "山田" + ideographs(4);
    String phonetic = "やまだ" + kana(6);
    var first = threeGroups(mrn, alphabetic, ideographic, phonetic);
    published("ponte-node-hospital-a", first);
    qido(ideographic + "*").body(UIDS, hasItem(first.uidValue()));
    qido(phonetic + "*").body(UIDS, hasItem(first.uidValue()));
    String version = patient(mrn).extract().path("entry[0].resource.meta.versionId");
    var second = FhirStudies.study("hospital-a", mrn).name(alphabetic, "Tarou");
    published("ponte-node-hospital-a", second);
    qido(ideographic + "*").body("$", empty());
    qido(phonetic, "fuzzymatching", "true").body("$", empty());
    qido(alphabetic + "*").body(UIDS, hasItem(second.uidValue()));
    assertThat(answeredName(first.uidValue(), alphabetic + "*"))
        .isEqualTo(Map.of("Alphabetic", alphabetic + "^Tarou"));
    // The Patient changed (its other names went): a new version, with the name alone.
    patient(mrn)
        .body("entry[0].resource.name.family", contains(alphabetic))
        .body(
            "entry[0].resource.meta.versionId",
            equalTo(Integer.toString(Integer.parseInt(version) + 1)));
  }

  /** Both routes (from the persons by the names' index ranges, and by date) find the groups. */
  @Test
  void fromThePersonsAndByDateFindTheGroups() throws Exception {
    for (StudyMatch.PatientName name :
        List.of(
            new StudyMatch.PatientName(IDEOGRAPHIC + "*", false),
            new StudyMatch.PatientName(PHONETIC + "^たろう", false),
            new StudyMatch.PatientName(ALPHABETIC + "*", false),
            new StudyMatch.PatientName("太郎 " + IDEOGRAPHIC.substring(0, 4), true),
            new StudyMatch.PatientName("たろう " + PHONETIC, true))) {
      try (Connection c = hubDatabase.getConnection()) {
        StudyMatch match = new StudyMatch(null, List.of(name));
        for (NameRoute.Route route :
            List.of(
                NameRoute.BY_DATE,
                new NameRoute.FromPersons(
                    java.util.stream.IntStream.range(0, NamePrefixes.ranges(name).size())
                        .boxed()
                        .toList()))) {
          assertThat(
                  registered
                      .search(c, match, Map.of(name, route), SearchScope.UNRESTRICTED, 100, 0)
                      .studies()
                      .stream()
                      .map(StudySummary::studyUid)
                      .toList())
              .as(name + " " + route)
              .containsExactly(study);
        }
      }
    }
  }

  static String letters(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return b.toString();
  }

  /** CJK unified ideographs (U+4E00 to U+9FA5). */
  static String ideographs(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (0x4E00 + RANDOM.nextInt(0x9FA5 - 0x4E00)));
    }
    return b.toString();
  }

  /** Hiragana without voicing marks (あ to ん, folded alike by NFKD). */
  static String kana(int n) {
    String plain = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん";
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(plain.charAt(RANDOM.nextInt(plain.length())));
    }
    return b.toString();
  }
}
