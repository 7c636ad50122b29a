package io.ponte.hub.viewer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.AuditRows;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The viewer's DICOMweb, /viewer/dicomweb: the hub's /dicomweb for the person signed in to the
 * pages, with that person's rights and audit, and nothing more.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ViewerDicomwebRelayTest {

  @TestHTTPResource("/")
  URL root;

  String mrn;
  String study;

  @BeforeEach
  void aStudyAtHospitalA() throws Exception {
    mrn = FhirStudies.mrn();
    FhirStudies.Builder b =
        FhirStudies.study("hospital-a", mrn).name("Relay", "Rosa").modalities("CT");
    HubFhir.published("ponte-node-hospital-a", b);
    study = b.uidValue();
  }

  @Test
  void aSignedInClinicianSearchesAsWithHerOwnTokenAndIsAudited() throws Exception {
    WebSignIn ana = WebSignIn.signIn(root + "viewer/", "ana.clinic").browser();
    long before = AuditRows.maxSeq();

    HttpResponse<String> relayed =
        ana.get(
            root + "viewer/dicomweb/studies?PatientID=" + mrn,
            Map.of("Accept", "application/dicom+json"));

    assertThat(relayed.statusCode()).isEqualTo(200);
    assertThat(relayed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
    assertThat(relayed.body()).contains(study);
    String direct =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept("application/dicom+json")
            .get("/dicomweb/studies?PatientID=" + mrn)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(relayed.body()).isEqualTo(direct);
    List<Map<String, String>> rows = AuditRows.after(before);
    assertThat(rows).isNotEmpty();
    assertThat(rows.get(0))
        .containsEntry("action", "search")
        .containsEntry("username", "ana.clinic")
        .containsEntry("client_id", "ponte-web")
        .containsEntry("organization", "clinic-norte");
    assertThat(rows.get(0).get("query")).contains("PatientID=" + mrn);
    assertThat(rows.get(0).get("client_address")).isNotBlank();
  }

  @Test
  void withoutAPageSessionNothingIsRelayed() {
    // A visitor is sent to sign in, a bearer token is no page session: neither gets data.
    HttpResponse<String> visitor =
        WebSignIn.visitor().get(root + "viewer/dicomweb/studies?PatientID=" + mrn, Map.of());
    assertThat(visitor.statusCode()).isEqualTo(302);
    assertThat(WebSignIn.location(visitor)).contains("/protocol/openid-connect/auth");
    assertThat(visitor.body()).doesNotContain(study);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .redirects()
        .follow(false)
        .get("/viewer/dicomweb/studies?PatientID=" + mrn)
        .then()
        .statusCode(302);
  }

  /** A link on another site, followed by a signed-in clinician: no search runs in her name. */
  @Test
  void aRequestAnotherSiteStartedIsRefusedAndNothingIsAudited() throws Exception {
    WebSignIn ana = WebSignIn.signIn(root + "viewer/", "ana.clinic").browser();
    long before = AuditRows.maxSeq();
    for (String site : new String[] {"cross-site", "same-site"}) {
      HttpResponse<String> r =
          ana.get(
              root + "viewer/dicomweb/studies?PatientID=" + mrn,
              Map.of("Sec-Fetch-Site", site, "Sec-Fetch-Mode", "navigate"));
      assertThat(r.statusCode()).as(site).isEqualTo(403);
      assertThat(r.body()).as(site).doesNotContain(study);
    }
    assertThat(AuditRows.after(before)).isEmpty();
    // The viewer's own requests, and an address typed or bookmarked, are answered.
    for (String site : new String[] {"same-origin", "none"}) {
      HttpResponse<String> r =
          ana.get(
              root + "viewer/dicomweb/studies?PatientID=" + mrn, Map.of("Sec-Fetch-Site", site));
      assertThat(r.statusCode()).as(site).isEqualTo(200);
      assertThat(r.body()).as(site).contains(study);
    }
  }

  @Test
  void onlyReadsAreRelayed() {
    WebSignIn ana = WebSignIn.signIn(root + "viewer/", "ana.clinic").browser();
    HttpResponse<String> stow =
        ana.send(
            "POST",
            root + "viewer/dicomweb/studies",
            "multipart/related; type=\"application/dicom\"; boundary=x",
            "--x--");
    assertThat(stow.statusCode()).isEqualTo(405);
    assertThat(stow.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void theRelayLeadsNowhereButTheHubsDicomweb() {
    WebSignIn ana = WebSignIn.signIn(root + "viewer/", "ana.clinic").browser();
    // Dot segments lead out of /viewer/dicomweb, to /fhir/ImagingStudy, which takes a bearer token
    // only: the session's token must not be carried there (a 200 with the study if it were).
    HttpResponse<String> escaped =
        ana.get(
            root
                + "viewer/dicomweb/%2e%2e/%2e%2e/fhir/ImagingStudy?identifier=urn:dicom:uid%7Curn:oid:"
                + study,
            Map.of());
    assertThat(escaped.statusCode()).as(escaped.body()).isIn(401, 404);
    assertThat(escaped.body()).doesNotContain(study);
  }

  @Test
  void aPatientSeesNoOneElsesStudiesThroughIt() {
    WebSignIn maria = WebSignIn.signIn(root + "viewer/", "maria.patient").browser();
    HttpResponse<String> r =
        maria.get(
            root + "viewer/dicomweb/studies?PatientID=" + mrn,
            Map.of("Accept", "application/dicom+json"));
    int direct =
        given()
            .auth()
            .oauth2(Tokens.user("maria.patient"))
            .get("/dicomweb/studies?PatientID=" + mrn)
            .then()
            .extract()
            .statusCode();
    assertThat(r.statusCode()).isEqualTo(direct);
    assertThat(r.body()).doesNotContain(study);
  }
}
