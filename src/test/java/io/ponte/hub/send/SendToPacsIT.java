package io.ponte.hub.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubRegistry;
import io.ponte.testing.Orthanc;
import io.ponte.testing.Peers;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestServices;
import io.ponte.testing.Tokens;
import io.ponte.testing.browser.BrowserScripts;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "Send to my PACS" against a real hub, node and Keycloak, with dcmtk's storescp as the clinic's
 * PACS: clinic-norte's destination is its DIMSE C-MOVE destination {@code CLINIC_NORTE} (the demo
 * configuration's one line, the address given once under ponte.hub.dimse.callers). A 3-series study
 * (6 instances) at hospital A arrives byte-identical (SOP Instance UIDs, pixel data SHA-256), the
 * job's progress reaches its total, and the export is audited (DCM 110106). Refused, with nothing
 * sent: another organisation without a PACS, a patient and the authority, a study whose patient
 * denies clinic-norte; a PACS that is down ends the job failed with its reason and the hub keeps
 * serving. The same send from the timeline in a real browser, pt and en
 * (src/test/browser/specs/send-to-pacs.js). Hospital B's PACS is Orthanc from Debian taking
 * STOW-RS, with a token from Keycloak (client credentials); hospital A's is down. (An organisation
 * with no PACS is refused in SendResourceTest.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendToPacsIT {

  static final String PACS = "CLINIC_NORTE";

  PonteProcess hub;
  PonteProcess node;
  Process storescp;
  Orthanc orthanc;
  Path received;
  String run;
  String mrn;
  String studyUid;
  String deniedStudyUid;
  final Map<String, String> sentPixels = new TreeMap<>();
  final List<String> deniedInstances = new ArrayList<>();

  @BeforeAll
  void startFederation() throws Exception {
    Dcmtk.require("storescu");
    Dcmtk.require("storescp");
    int hubPort = FreePorts.next();
    int nodeDimse = FreePorts.next();
    int pacsPort = FreePorts.next();
    int downPort = FreePorts.next(); // nothing listens there
    run = UUID.randomUUID().toString().substring(0, 8);
    Path dir = Paths.get("target", "it-send-" + run);
    received = Files.createDirectories(dir.resolve("received"));
    ProcessBuilder pacs =
        new ProcessBuilder("storescp", "-aet", PACS, "-od", received.toString(), "" + pacsPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("storescp.log").toFile());
    pacs.environment().put("TCP_NODELAY", "1");
    storescp = pacs.start();
    // Hospital B's PACS takes DICOMweb: Orthanc from Debian with its DICOMweb plugin (STOW-RS).
    Peers.require(
        Orthanc.installedWithDicomWeb(), "Orthanc and its DICOMweb plugin (apt: orthanc-dicomweb)");
    orthanc =
        Orthanc.builder(Files.createDirectories(dir.resolve("orthanc")))
            .aeTitle("HOSPB_PACS")
            .dicomWeb()
            .modality("ponte", "PONTE_HUB", 11110)
            .dicomWebServer("ponte", "http://127.0.0.1:1/", "none")
            .start();
    node =
        PonteProcess.node("hospital-a", "ponte_node_it_send")
            .property("ponte.node.dimse.port", Integer.toString(nodeDimse))
            .property("ponte.node.storage.cache-dir", dir.resolve("cache").toAbsolutePath() + "")
            .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .start();
    hub =
        PonteProcess.hub("ponte_hub_it_send")
            .port(hubPort)
            // the demo's CLINIC_NORTE caller, its move destination moved to this run's storescp
            .property(
                "ponte.hub.dimse.callers.\"" + PACS + "\".destinations.\"" + PACS + "\"",
                "127.0.0.1:" + pacsPort)
            .property("ponte.hub.send.destinations.\"hospital-a\".dimse.ae-title", "DOWN_PACS")
            .property(
                "ponte.hub.send.destinations.\"hospital-a\".dimse.address", "127.0.0.1:" + downPort)
            .property(
                "ponte.hub.send.destinations.\"hospital-b\".stow.url",
                orthanc.url() + "/dicom-web/studies")
            .property(
                "ponte.hub.send.destinations.\"hospital-b\".stow.token-url",
                TestServices.REALM_URL + "/protocol/openid-connect/token")
            .property(
                "ponte.hub.send.destinations.\"hospital-b\".stow.client-id", "clinic-norte-pacs")
            .property(
                "ponte.hub.send.destinations.\"hospital-b\".stow.client-secret",
                "clinic-norte-pacs-secret")
            .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
            .start();

    mrn = "SEND-" + run;
    DemoCatalogue.Patient patient =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", mrn, "Gonçalves^Inês", "19790203", "F", null);
    DemoCatalogue.Study study =
        new DemoCatalogue.Study(
            patient, "it-send-" + run, "CT", "20260314", "101500", "CT Thorax", "CHEST", 3, 2);
    studyUid = SampleStudyWriter.uid(study.key());
    List<Path> files = new ArrayList<>(SampleStudyWriter.write(study, dir.resolve("sent"), 256));
    for (Path f : files) {
      Attributes ds = read(f);
      assertThat(pixels(ds)).as("pixel data of %s", f).isNotEmpty();
      sentPixels.put(ds.getString(Tag.SOPInstanceUID), DicomTestFiles.sha256(pixels(ds)));
    }
    DemoCatalogue.Patient refusing =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", "DENY-" + run, "Dubois^Hélène", "19650612", "F", null);
    DemoCatalogue.Study denied =
        new DemoCatalogue.Study(
            refusing, "it-send-deny-" + run, "MR", "20250101", "090000", "MR Head", "HEAD", 1, 2);
    deniedStudyUid = SampleStudyWriter.uid(denied.key());
    for (Path f : SampleStudyWriter.write(denied, dir.resolve("sent-denied"), 256)) {
      deniedInstances.add(read(f).getString(Tag.SOPInstanceUID));
      files.add(f);
    }
    List<String> command =
        new ArrayList<>(
            List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(nodeDimse)));
    files.forEach(f -> command.add(f.toString()));
    Dcmtk.Result stored = Dcmtk.run(command);
    assertThat(stored.ok()).as("storescu: %s", stored.output()).isTrue();
    HubRegistry.awaitPublished(hub, node, studyUid, 6);
    HubRegistry.awaitPublished(hub, node, deniedStudyUid, 2);
    HubFhir.denyClinicNorte(hub.baseUrl(), "DENY-" + run);
  }

  @AfterAll
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (node != null) {
      node.close();
    }
    if (storescp != null) {
      storescp.destroy();
    }
    if (orthanc != null) {
      orthanc.close();
    }
  }

  @Test
  void aClinicianSendsAStudyToHerClinicsPacsByteIdenticalWithProgressAndAudit() throws Exception {
    Response accepted = send("ana.clinic", studyUid);
    assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
    String location = accepted.header("Location");
    assertThat(location).matches(".*/api/clinician/sends/[0-9a-f-]{36}");
    assertThat(accepted.jsonPath().getInt("total")).isEqualTo(6);
    assertThat(accepted.jsonPath().getString("destination")).contains(PACS);

    JsonPath job = awaitFinished("ana.clinic", location);
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("completed");
    assertThat(job.getInt("completed")).isEqualTo(6);
    assertThat(job.getInt("failed")).isZero();
    assertThat(job.getInt("total")).isEqualTo(6);
    assertThat(job.getString("reason")).isNull();

    // Byte-identical at the PACS: every SOP Instance UID, the same pixel data.
    Map<String, String> arrived = pixelsIn(received);
    assertThat(arrived).containsAllEntriesOf(sentPixels);

    // The export is on the trail, as DICOM's Export event, with the destination.
    JsonPath audit = HubFhir.auditTrail(hub.baseUrl(), studyUid).jsonPath();
    List<String> types = audit.getList("entry.resource.type.code", String.class);
    assertThat(types).contains("110106");
    assertThat(audit.getString("entry.resource.findAll { it.type.code == '110106' }.toString()"))
        .contains(PACS);
  }

  @Test
  void anotherOrganisationsClinicianSendsToHerOwnPacsOnlyAndCannotSeeAnothersJob()
      throws Exception {
    Response mine = send("ana.clinic", studyUid);
    assertThat(mine.statusCode()).isEqualTo(202);
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("carla.hospb"))
        .get(mine.header("Location"))
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    awaitFinished("ana.clinic", mine.header("Location"));

    // Carla (hospital-b) sends the same study: it goes to hospital-b's PACS (STOW-RS, token by
    // client credentials), byte-identical there too.
    Response hers = send("carla.hospb", studyUid);
    assertThat(hers.statusCode()).as(hers.asString()).isEqualTo(202);
    assertThat(hers.jsonPath().getString("destination")).contains("STOW-RS", orthanc.url());
    JsonPath job = awaitFinished("carla.hospb", hers.header("Location"));
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("completed");
    assertThat(job.getInt("completed")).isEqualTo(6);
    assertThat(orthancPixels()).containsAllEntriesOf(sentPixels);
  }

  @Test
  void aPatientAndTheAuthorityMayNotSend() {
    for (String user : List.of("maria.patient", "rita.authority")) {
      Response refused = send(user, studyUid);
      assertThat(refused.statusCode()).as(user).isEqualTo(403);
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }
    given()
        .baseUri(hub.baseUrl())
        .contentType("application/json")
        .body("{\"studyUid\":\"" + studyUid + "\"}")
        .post("/api/clinician/sends")
        .then()
        .statusCode(401);
  }

  @Test
  void aStudyWhosePatientDeniesTheClinicIsRefusedAndNothingArrives() throws Exception {
    Response refused = send("ana.clinic", deniedStudyUid);
    assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
    assertThat(refused.jsonPath().getString("code")).contains("consent-denied");
    Thread.sleep(2000); // were anything sent, it would be at the PACS by now
    assertThat(pixelsIn(received).keySet()).doesNotContainAnyElementsOf(deniedInstances);
    assertThat(send("ana.clinic", "not-a-uid").statusCode()).isEqualTo(400);
    assertThat(send("ana.clinic", "1.2.3.4.5." + System.nanoTime()).statusCode()).isEqualTo(404);
  }

  @Test
  void aPacsThatIsDownEndsTheJobFailedWithItsReason() {
    Response accepted = send("bruno.hospa", studyUid);
    assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
    JsonPath job = awaitFinished("bruno.hospa", accepted.header("Location"));
    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getInt("completed")).isZero();
    assertThat(job.getInt("failed")).isEqualTo(6);
    assertThat(job.getString("reason"))
        .contains("DOWN_PACS")
        .contains("did not accept an association");
    // and the hub carries on
    assertThat(send("bruno.hospa", studyUid).statusCode()).isEqualTo(202);
    given().baseUri(hub.baseUrl()).get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void theClinicianSendsFromTheTimelineInABrowser() throws Exception {
    BrowserScripts.chromium();
    BrowserScripts.run(
        "send-to-pacs",
        hub.baseUrl(),
        "{\"username\":\"ana.clinic\",\"identifier\":\""
            + mrn
            + "\",\"site\":\"hospital-a\",\"images\":6}");
    for (String name : List.of("send-timeline", "send-confirm", "send-completed")) {
      for (String lang : List.of("pt", "en")) {
        assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve(name + "-" + lang + ".png")))
            .isPositive();
      }
    }
  }

  private Response send(String user, String uid) {
    return given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user(user))
        .contentType("application/json")
        .body("{\"studyUid\":\"" + uid + "\"}")
        .post("/api/clinician/sends");
  }

  private JsonPath awaitFinished(String user, String location) {
    String token = Tokens.user(user);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonPath job;
    do {
      job =
          given()
              .baseUri(hub.baseUrl())
              .auth()
              .oauth2(token)
              .get(location)
              .then()
              .statusCode(200)
              .contentType("application/json")
              .extract()
              .jsonPath();
      String state = job.getString("state");
      if (state.equals("completed") || state.equals("failed")) {
        return job;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the send did not finish: " + job.prettify());
  }

  private static Attributes read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DicomInputStream dicom = new DicomInputStream(in)) {
      return dicom.readDataset();
    }
  }

  private static byte[] pixels(Attributes ds) {
    byte[] p = ds.getBytes(Tag.PixelData);
    return p == null ? new byte[0] : p;
  }

  /** SOP Instance UID to pixel data SHA-256 of every instance Orthanc holds. */
  private Map<String, String> orthancPixels() throws Exception {
    Map<String, String> found = new TreeMap<>();
    for (Object id : JsonPath.from(orthanc.get("/instances").body()).getList("$")) {
      byte[] file = orthanc.bytes("/instances/" + id + "/file").body();
      try (DicomInputStream dicom = new DicomInputStream(new java.io.ByteArrayInputStream(file))) {
        Attributes ds = dicom.readDataset();
        found.put(ds.getString(Tag.SOPInstanceUID), DicomTestFiles.sha256(pixels(ds)));
      }
    }
    return found;
  }

  /** SOP Instance UID to pixel data SHA-256 of every file the PACS holds. */
  private static Map<String, String> pixelsIn(Path dir) throws IOException {
    Map<String, String> found = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Attributes ds = read(f);
        found.put(ds.getString(Tag.SOPInstanceUID), DicomTestFiles.sha256(pixels(ds)));
      }
    }
    return found;
  }
}
