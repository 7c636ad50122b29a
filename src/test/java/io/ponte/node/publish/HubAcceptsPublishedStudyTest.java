package io.ponte.node.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.hub.fhir.FhirValidation;
import io.ponte.node.index.StudySnapshot;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract between the publisher and the real hub registry (hub role, real PostgreSQL, real
 * tokens): what {@link ImagingStudyBuilder} builds is accepted by the hub's conditional update,
 * re-sending it changes nothing, new content updates the same resource, and the hub's refusals fall
 * in the sender's categories.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class HubAcceptsPublishedStudyTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  @Inject HubClient hubClient;

  @TestHTTPResource("/")
  URL hub;

  @Inject FhirValidation validation;

  /**
   * The hub loads the R4 core profiles once (tens of seconds on a busy machine), not within a
   * request's timeout.
   */
  @BeforeEach
  void hubValidatorIsWarm() {
    validation.warm();
  }

  final ImagingStudyBuilder builder =
      new ImagingStudyBuilder(
          "hospital-a",
          ImagingStudyBuilder.defaultPatientIdentifierSystem("hospital-a"),
          ZoneId.of("Europe/Lisbon"));

  @Test
  void createsTheStudyOnceAndIgnoresAnIdenticalResend() throws Exception {
    String uid = DicomTestFiles.newUid();
    String payload = payload(uid, 2);
    String token = Tokens.client("ponte-node-hospital-a");

    Delivery first = hubClient.put(hub.toString(), uid, payload, token);
    assertThat(first.kind()).as(first.detail()).isEqualTo(Delivery.Kind.DELIVERED);
    assertThat(first.status()).isEqualTo(201);
    Delivery again = hubClient.put(hub.toString(), uid, payload, token);
    assertThat(again.kind()).isEqualTo(Delivery.Kind.DELIVERED);
    assertThat(again.status()).isEqualTo(200);

    JsonPath found = search(uid);
    assertThat(found.getInt("total")).isEqualTo(1);
    assertThat(found.getString("entry[0].resource.meta.versionId")).isEqualTo("1");
    assertThat(found.getInt("entry[0].resource.numberOfInstances")).isEqualTo(2);
    assertThat(found.getString("entry[0].resource.subject.identifier.value"))
        .isEqualTo("MRN-" + uid.hashCode());
    assertThat(found.getString("entry[0].resource.started")).startsWith("2024-03-05T10:15:00");
    // The series' Body Part Examined, as the node coded it, is in the registry's copy.
    assertThat(found.getString("entry[0].resource.series[0].bodySite.system"))
        .isEqualTo("http://snomed.info/sct");
    assertThat(found.getString("entry[0].resource.series[0].bodySite.code")).isEqualTo("43799004");
    assertThat(found.getString("entry[0].resource.series[0].bodySite.display")).isEqualTo("Chest");
  }

  @Test
  void newContentUpdatesTheSameResource() throws Exception {
    String uid = DicomTestFiles.newUid();
    String token = Tokens.client("ponte-node-hospital-a");
    assertThat(hubClient.put(hub.toString(), uid, payload(uid, 1), token).status()).isEqualTo(201);
    assertThat(hubClient.put(hub.toString(), uid, payload(uid, 3), token).status()).isEqualTo(200);
    JsonPath found = search(uid);
    assertThat(found.getInt("total")).isEqualTo(1);
    assertThat(found.getString("entry[0].resource.meta.versionId")).isEqualTo("2");
    assertThat(found.getInt("entry[0].resource.numberOfInstances")).isEqualTo(3);
  }

  @Test
  void anotherSitesNodeIsRejectedNotRetriedAsTransient() throws Exception {
    String uid = DicomTestFiles.newUid();
    Delivery delivery =
        hubClient.put(hub.toString(), uid, payload(uid, 1), Tokens.client("ponte-node-hospital-b"));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.REJECTED);
    assertThat(delivery.status()).isEqualTo(403);
    assertThat(search(uid).getInt("total")).isZero();
  }

  @Test
  void aStudyUidAnotherSiteRegisteredIsAFinalRefusal() throws Exception {
    String uid = DicomTestFiles.newUid();
    assertThat(
            hubClient
                .put(hub.toString(), uid, payload(uid, 1), Tokens.client("ponte-node-hospital-a"))
                .status())
        .isEqualTo(201);
    // Hospital B's node publishes its own patient's study under the same UID.
    ImagingStudyBuilder siteB =
        new ImagingStudyBuilder(
            "hospital-b",
            ImagingStudyBuilder.defaultPatientIdentifierSystem("hospital-b"),
            ZoneId.of("Europe/Lisbon"));
    Delivery second =
        hubClient.put(
            hub.toString(), uid, payload(siteB, uid, 1), Tokens.client("ponte-node-hospital-b"));
    assertThat(second.kind()).as(second.detail()).isEqualTo(Delivery.Kind.REFUSED);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.refusalReason()).isEqualTo("ponte:study-owned-by-another-site");
  }

  @Test
  void aClinicianCannotPublish() throws Exception {
    String uid = DicomTestFiles.newUid();
    Delivery delivery =
        hubClient.put(hub.toString(), uid, payload(uid, 1), Tokens.user("ana.clinic"));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.REJECTED);
    assertThat(delivery.status()).isEqualTo(403);
  }

  @Test
  void withoutATokenTheSenderIsToldToAuthenticate() throws Exception {
    String uid = DicomTestFiles.newUid();
    Delivery delivery = hubClient.put(hub.toString(), uid, payload(uid, 1), null);
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.UNAUTHORIZED);
  }

  @Test
  void invalidContentIsRejectedWithTheHubsReason() throws Exception {
    String uid = DicomTestFiles.newUid();
    String payload = payload(uid, 1).replace("\"status\":\"available\",", "");
    Delivery delivery =
        hubClient.put(hub.toString(), uid, payload, Tokens.client("ponte-node-hospital-a"));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.REJECTED);
    assertThat(delivery.status()).isEqualTo(422);
    assertThat(delivery.detail()).contains("status");
  }

  @Test
  void theHubBeingDownIsTransient() {
    Delivery delivery =
        hubClient.put("http://127.0.0.1:" + FreePorts.next(), "1.2.3", "{}", "token");
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.UNAVAILABLE);
    assertThat(delivery.status()).isNull();
  }

  private String payload(String uid, int instances) throws UnpublishableStudyException {
    return payload(builder, uid, instances);
  }

  private String payload(ImagingStudyBuilder builder, String uid, int instances)
      throws UnpublishableStudyException {
    List<StudySnapshot.Instance> list = new ArrayList<>();
    for (int i = 1; i <= instances; i++) {
      list.add(new StudySnapshot.Instance(uid + ".1." + i, CT, i));
    }
    StudySnapshot snapshot =
        new StudySnapshot(
            uid,
            "MRN-" + uid.hashCode(),
            "HOSPA",
            "Doe^Jane",
            "19700215",
            "F",
            "20240305",
            "101500",
            "ACC-1",
            null,
            "CT chest",
            null,
            Instant.now(),
            List.of(new StudySnapshot.Series(uid + ".1", "CT", 1, "axial", "CHEST", list)));
    return FhirContextProducer.r4().newJsonParser().encodeResourceToString(builder.build(snapshot));
  }

  private static JsonPath search(String uid) {
    return given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + uid)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
