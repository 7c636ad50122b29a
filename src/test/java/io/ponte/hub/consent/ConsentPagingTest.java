package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Search paging under consent: {@code limit}/{@code offset} (QIDO-RS) and {@code _count}/{@code
 * _offset} (FHIR ImagingStudy and Patient) count only what the caller may see, so a page is full
 * whenever enough visible results exist, however many hidden ones sort before them; the "withheld"
 * notice appears exactly when the search matched something the caller may not see.
 *
 * <p>Seven hospital-a patients share a family name, one study each, newest first: H1, H2, V1, H3,
 * V2, V3, V4. H1 to H3 deny everyone; ana.clinic (clinic-norte) may see V1 to V4 only, bruno.hospa
 * (hospital-a, the owning site) all seven.
 */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class ConsentPagingTest {

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  String family;
  final List<String> hiddenUids = new ArrayList<>();
  final List<String> visibleUids = new ArrayList<>(); // newest first

  @BeforeEach
  void sevenPatientsThreeOfWhomDenyEveryone() throws Exception {
    // letters only (a name search key), eight of them whatever the random draw
    family =
        "Paging"
            + new java.security.SecureRandom()
                .ints(8, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
    String[] order = {"H", "H", "V", "H", "V", "V", "V"};
    for (int i = 0; i < order.length; i++) {
      boolean hidden = order[i].equals("H");
      FhirStudies.Builder study =
          FhirStudies.study("hospital-a", FhirStudies.mrn())
              .name(family, hidden ? "Hidden" : "Visible")
              .started("2020-01-" + String.format(Locale.ROOT, "%02d", 20 - i) + "T10:00:00Z");
      HubFhir.published("ponte-node-hospital-a", study);
      (hidden ? hiddenUids : visibleUids).add(study.uidValue());
      if (hidden) {
        denyEveryone(study.uidValue());
      }
    }
  }

  @AfterEach
  void withdrawEverything() throws Exception {
    sql("update consent set status = 'inactive' where status = 'active'");
  }

  @Test
  @DisplayName("QIDO-RS: limit fills the page with visible studies and offset skips visible ones")
  void qidoPagesOverVisibleStudiesOnly() {
    Response first = qido("ana.clinic", "PatientName=" + family + "&limit=2");
    assertThat(uids(first)).containsExactlyElementsOf(visibleUids.subList(0, 2));
    assertThat(first.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);

    Response second = qido("ana.clinic", "PatientName=" + family + "&limit=2&offset=2");
    assertThat(uids(second)).containsExactlyElementsOf(visibleUids.subList(2, 4));
    assertThat(second.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);

    // offset=3 skips three visible studies (not three rows of the registry): V4 is left.
    assertThat(uids(qido("ana.clinic", "PatientName=" + family + "&limit=10&offset=3")))
        .containsExactly(visibleUids.get(3));
    assertThat(uids(qido("ana.clinic", "PatientName=" + family + "&limit=10&offset=4"))).isEmpty();
  }

  @Test
  @DisplayName("QIDO-RS: shallow pages (the set probed per row) and deep ones (hashed) agree")
  void qidoPagesAgreeWhetherTheExceptionSetIsProbedOrHashed() throws Exception {
    // 20 more patients deny everyone: 23 exceptions, so a page reading fewer than 11 rows probes
    // the set per row and a longer one hashes it (ConsentScopeSql).
    sql(
        "insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
            + " given_names, version_id, last_updated, name_search) select '"
            + family
            + "-' || g, 'hospital-b', 'urn:ponte:site:hospital-b:mrn', '"
            + family
            + "-' || g, 'Other', 'Denies', 1, now(), 'other^denies' from generate_series(1, 20) g");
    sql(
        "insert into consent (id, patient_id, status, consented_at, rules, source, recorded_by,"
            + " recorded_at, version_id, last_updated, resource_json) select gen_random_uuid(), id,"
            + " 'active', now(), '{\"base\":{\"permit\":false,\"actors\":[],\"sources\":[]},"
            + "\"exceptions\":[]}', 'paper', 'paging-test', now(), 1, now(),"
            + " '{\"resourceType\":\"Consent\"}' from patient where id like '"
            + family
            + "-%'");
    List<String> probed = new ArrayList<>();
    for (int offset = 0; offset < 5; offset++) {
      Response page = qido("ana.clinic", "PatientName=" + family + "&limit=1&offset=" + offset);
      probed.addAll(uids(page));
      if (offset < 4) {
        assertThat(page.headers().getValues("Warning"))
            .contains(ConsentEnforcement.FILTERED_WARNING);
      }
    }
    Response hashed = qido("ana.clinic", "PatientName=" + family + "&limit=20");
    assertThat(probed).containsExactlyElementsOf(visibleUids);
    assertThat(uids(hashed)).containsExactlyElementsOf(visibleUids);
    assertThat(hashed.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);
  }

  @Test
  @DisplayName("QIDO-RS: the Warning appears only when the search matched a withheld study")
  void qidoWarnsOnlyWhenSomethingWasWithheld() {
    Response onlyVisible = qido("ana.clinic", "PatientName=" + family + "^Visible&limit=10");
    assertThat(uids(onlyVisible)).containsExactlyElementsOf(visibleUids);
    assertThat(onlyVisible.headers().getValues("Warning"))
        .doesNotContain(ConsentEnforcement.FILTERED_WARNING);

    // The owning site's own clinician sees all seven and is told of no filter.
    Response owner = qido("bruno.hospa", "PatientName=" + family + "&limit=10");
    assertThat(uids(owner)).hasSize(7).containsAll(hiddenUids).containsAll(visibleUids);
    assertThat(owner.headers().getValues("Warning"))
        .doesNotContain(ConsentEnforcement.FILTERED_WARNING);

    // Hidden studies only: an empty answer, with the notice (never which or how many).
    Response onlyHidden = qido("ana.clinic", "PatientName=" + family + "^Hidden");
    assertThat(uids(onlyHidden)).isEmpty();
    assertThat(onlyHidden.headers().getValues("Warning"))
        .contains(ConsentEnforcement.FILTERED_WARNING);
  }

  @Test
  @DisplayName("QIDO-RS: a consent written behind this hub's back holds on the very next search")
  void qidoSeesAConsentChangeMadeElsewhereOnTheNextSearch() throws Exception {
    String query = "PatientName=" + family + "&limit=10";
    assertThat(uids(qido("ana.clinic", query))).containsExactlyElementsOf(visibleUids);
    // As another hub replica would: straight into the database. This hub's decisions were made
    // at the old epoch; its next search must not show V1 from them.
    denyEveryone(visibleUids.get(0));
    assertThat(uids(qido("ana.clinic", query)))
        .containsExactlyElementsOf(visibleUids.subList(1, 4));
    // And the other way: withdrawn, every visible study is back at once.
    sql(
        "update consent set status = 'inactive' where patient_id = (select patient_id from"
            + " imaging_study where study_instance_uid = '"
            + visibleUids.get(0)
            + "')");
    assertThat(uids(qido("ana.clinic", query))).containsExactlyElementsOf(visibleUids);
  }

  @Test
  @DisplayName("QIDO-RS series across studies walk only the studies the caller may see")
  void qidoSeriesAcrossStudiesLeaveHiddenStudiesOut() {
    Response series = qido("ana.clinic", "PatientName=" + family, "/dicomweb/series");
    List<String> studies = series.jsonPath().getList("'0020000D'.Value.flatten()");
    assertThat(studies).isNotEmpty().doesNotContainAnyElementsOf(hiddenUids);
    assertThat(studies).containsAll(visibleUids);
    assertThat(series.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);
  }

  @Test
  @DisplayName(
      "FHIR ImagingStudy: _count fills the page, _offset skips visible ones, total visible")
  void fhirImagingStudyPagesOverVisibleStudiesOnly() {
    String all =
        "identifier="
            + java.util.stream.Stream.concat(hiddenUids.stream(), visibleUids.stream())
                .map(uid -> "urn:dicom:uid|urn:oid:" + uid)
                .collect(Collectors.joining(","));
    JsonPath first = fhir("ana.clinic", "/fhir/ImagingStudy?" + all + "&_count=2");
    assertThat(studyUids(first)).containsExactlyElementsOf(visibleUids.subList(0, 2));
    assertThat(first.getInt("total")).isEqualTo(4);
    assertThat(outcomes(first)).isEqualTo(1);
    assertThat(
            first.getString(
                "entry.find { it.search.mode == 'outcome' }.resource.issue[0].diagnostics"))
        .isEqualTo(ConsentEnforcement.FILTERED_TEXT);

    JsonPath second = fhir("ana.clinic", "/fhir/ImagingStudy?" + all + "&_count=2&_offset=2");
    assertThat(studyUids(second)).containsExactlyElementsOf(visibleUids.subList(2, 4));
    assertThat(outcomes(second)).isEqualTo(1);

    JsonPath owner = fhir("bruno.hospa", "/fhir/ImagingStudy?" + all + "&_count=10");
    assertThat(studyUids(owner)).hasSize(7);
    assertThat(owner.getInt("total")).isEqualTo(7);
    assertThat(outcomes(owner)).isZero();

    String visibleOnly =
        "identifier="
            + visibleUids.stream()
                .map(uid -> "urn:dicom:uid|urn:oid:" + uid)
                .collect(Collectors.joining(","));
    JsonPath none = fhir("ana.clinic", "/fhir/ImagingStudy?" + visibleOnly + "&_count=10");
    assertThat(studyUids(none)).containsExactlyElementsOf(visibleUids);
    assertThat(outcomes(none)).isZero();
  }

  @Test
  @DisplayName("FHIR Patient: _count fills the page with visible Patients, total counts them")
  void fhirPatientSearchPagesOverVisiblePatientsOnly() {
    JsonPath first = fhir("ana.clinic", "/fhir/Patient?family=" + family + "&_count=2");
    JsonPath second = fhir("ana.clinic", "/fhir/Patient?family=" + family + "&_count=2&_offset=2");
    List<String> givens = new ArrayList<>(givens(first));
    assertThat(givens).hasSize(2);
    assertThat(givens(second)).hasSize(2);
    givens.addAll(givens(second));
    assertThat(givens).containsOnly("Visible");
    assertThat(ids(first)).doesNotContainAnyElementsOf(ids(second));
    assertThat(first.getInt("total")).isEqualTo(4);
    assertThat(outcomes(first)).isEqualTo(1);

    JsonPath owner = fhir("bruno.hospa", "/fhir/Patient?family=" + family + "&_count=10");
    assertThat(owner.getInt("total")).isEqualTo(7);
    assertThat(outcomes(owner)).isZero();

    JsonPath visible =
        fhir("ana.clinic", "/fhir/Patient?family=" + family + "&given=Visible&_count=10");
    assertThat(visible.getInt("total")).isEqualTo(4);
    assertThat(outcomes(visible)).isZero();
  }

  private Response qido(String user, String query) {
    return qido(user, query, "/dicomweb/studies");
  }

  private Response qido(String user, String query, String path) {
    Response r = as(user).get(path + "?" + query);
    r.then().statusCode(200);
    return r;
  }

  private static List<String> uids(Response qido) {
    return qido.jsonPath().getList("'0020000D'.Value.flatten()");
  }

  private static JsonPath fhir(String user, String pathAndQuery) {
    return as(user).get(pathAndQuery).then().statusCode(200).extract().jsonPath();
  }

  private static List<String> studyUids(JsonPath bundle) {
    List<String> out = new ArrayList<>();
    List<List<String>> values =
        bundle.getList("entry.findAll { it.search.mode == 'match' }.resource.identifier.value");
    for (List<String> ids : values) {
      ids.stream()
          .filter(v -> v.startsWith("urn:oid:"))
          .forEach(v -> out.add(v.substring("urn:oid:".length())));
    }
    return out;
  }

  private static int outcomes(JsonPath bundle) {
    return bundle.getList("entry.findAll { it.search.mode == 'outcome' }").size();
  }

  private static List<String> givens(JsonPath bundle) {
    return bundle.getList(
        "entry.findAll { it.search.mode == 'match' }.resource.name.given.flatten()");
  }

  private static List<String> ids(JsonPath bundle) {
    return bundle.getList("entry.findAll { it.search.mode == 'match' }.resource.id");
  }

  /** A deny-everyone consent of the study's hub Patient, straight into the database. */
  private void denyEveryone(String studyUid) throws Exception {
    String id = UUID.randomUUID().toString();
    sql(
        "insert into consent (id, patient_id, status, consented_at, rules, source, recorded_by,"
            + " recorded_at, version_id, last_updated, resource_json) select '"
            + id
            + "', patient_id, 'active', now(), '{\"base\":{\"permit\":false,\"actors\":[],"
            + "\"sources\":[]},\"exceptions\":[]}', 'paper', 'paging-test', now(), 1, now(),"
            + " '{\"resourceType\":\"Consent\",\"id\":\""
            + id
            + "\",\"status\":\"active\"}' from imaging_study where study_instance_uid = '"
            + studyUid
            + "'");
  }

  private void sql(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }
}
