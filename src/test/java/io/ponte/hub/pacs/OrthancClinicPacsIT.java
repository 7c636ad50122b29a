package io.ponte.hub.pacs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubRegistry;
import io.ponte.testing.KeycloakAdmin;
import io.ponte.testing.Orthanc;
import io.ponte.testing.Peers;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestServices;
import io.ponte.testing.Tokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Orthanc from Debian as clinic-norte's PACS against a real hub and node: over DIMSE with the demo
 * configuration's mapping (calling AE {@code CLINIC_NORTE} is clinic-norte, its move destination is
 * Orthanc itself), and over DICOMweb with the clinic's PACS service client from
 * realm-config/ponte-realm.json, kept fresh by src/main/scripts/orthanc-dicomweb-token.sh. The
 * client is created in the shared Keycloak from the realm file's own definition under a per-run id,
 * with a short access-token lifespan so that expiry happens within the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancClinicPacsIT {

  static final String AE = "CLINIC_NORTE";
  static final String REALM_CLIENT = "clinic-norte-pacs";
  static final int LIFESPAN_SECONDS = 15;
  static final Path SCRIPT = Paths.get("src/main/scripts/orthanc-dicomweb-token.sh");

  PonteProcess hub;
  PonteProcess node;
  Orthanc orthanc;
  Path dir;
  String run;
  String mrn;
  String studyUid;
  String deniedStudyUid;
  String clientId;
  String clientInternalId;

  /** SOP Instance UID to SHA-256 of its pixel data, as sent to the node. */
  final Map<String, String> sent = new TreeMap<>();

  @BeforeAll
  void startClinicAndFederation() throws Exception {
    Peers.require(
        Orthanc.installedWithDicomWeb(),
        "Orthanc and its DICOMweb plugin (Debian: orthanc-dicomweb)");
    Dcmtk.require("storescu");
    run = UUID.randomUUID().toString().substring(0, 8);
    dir = Files.createDirectories(Paths.get("target", "it-pacs-" + run).toAbsolutePath());
    createServiceClient();

    int hubPort = FreePorts.next();
    int hubDimse = FreePorts.next();
    int nodeDimse = FreePorts.next();
    // Orthanc first: the hub's configuration names Orthanc's DICOM port as the move destination.
    orthanc =
        Orthanc.builder(Files.createDirectories(dir.resolve("orthanc")))
            .aeTitle(AE)
            .dicomWeb()
            .modality("ponte", "PONTE_HUB", hubDimse)
            .dicomWebServer(
                "ponte", "http://127.0.0.1:" + hubPort + "/dicomweb/", "not-yet-a-token")
            .start();
    node =
        PonteProcess.node("hospital-a", "ponte_node_it_pacs")
            .property("ponte.node.dimse.port", Integer.toString(nodeDimse))
            .property("ponte.node.storage.cache-dir", dir.resolve("cache").toString())
            .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .start();
    // The demo profile's caller mapping (CLINIC_NORTE -> clinic-norte) as it is; only the move
    // destination moves from 127.0.0.1:11114 to this run's Orthanc (with and without the profile
    // prefix, so it wins over the demo profile's line whatever the precedence).
    String destination = "ponte.hub.dimse.callers.\"" + AE + "\".destinations.\"" + AE + "\"";
    String orthancDicom = "127.0.0.1:" + orthanc.dicomPort();
    hub =
        PonteProcess.hub("ponte_hub_it_pacs")
            .port(hubPort)
            .env("PONTE_HUB_DIMSE_ENABLED", "true")
            .property("ponte.hub.dimse.port", Integer.toString(hubDimse))
            .property(destination, orthancDicom)
            .property("%demo." + destination, orthancDicom)
            .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
            .start();

    mrn = "PACS-" + run;
    DemoCatalogue.Patient patient =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", mrn, "Gonçalves^Maria", "19790203", "F", null);
    DemoCatalogue.Study study =
        new DemoCatalogue.Study(
            patient, "it-pacs-" + run, "CT", "20250314", "101500", "CT Thorax", "CHEST", 2, 3);
    studyUid = SampleStudyWriter.uid(study.key());
    List<Path> files = new ArrayList<>(SampleStudyWriter.write(study, dir.resolve("sent"), 256));
    for (Path f : files) {
      Attributes ds = read(Files.readAllBytes(f));
      sent.put(ds.getString(Tag.SOPInstanceUID), sha256(ds.getBytes(Tag.PixelData)));
    }
    DemoCatalogue.Patient refusing =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", "DENY-" + run, "Dubois^Hélène", "19650612", "F", null);
    DemoCatalogue.Study denied =
        new DemoCatalogue.Study(
            refusing, "it-pacs-deny-" + run, "MR", "20250101", "090000", "MR Head", "HEAD", 1, 2);
    deniedStudyUid = SampleStudyWriter.uid(denied.key());
    files.addAll(SampleStudyWriter.write(denied, dir.resolve("sent-denied"), 256));
    List<String> command =
        new ArrayList<>(
            List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(nodeDimse)));
    files.forEach(f -> command.add(f.toString()));
    Dcmtk.Result stored = Dcmtk.run(command);
    assertThat(stored.ok()).as("storescu: %s", stored.output()).isTrue();
    HubRegistry.awaitPublished(hub, node, studyUid, sent.size());
    HubRegistry.awaitPublished(hub, node, deniedStudyUid, 2);
    HubFhir.denyClinicNorte(hub.baseUrl(), "DENY-" + run);
  }

  @AfterAll
  void stop() {
    if (orthanc != null) {
      orthanc.close();
    }
    if (hub != null) {
      hub.close();
    }
    if (node != null) {
      node.close();
    }
    if (clientInternalId != null) {
      KeycloakAdmin.deleteClient("ponte", clientInternalId);
    }
  }

  /** Each case starts from an empty PACS. */
  @BeforeEach
  void emptyThePacs() throws Exception {
    for (String id : ids(orthanc.get("/studies").body())) {
      assertThat(orthanc.delete("/studies/" + id).statusCode()).isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------ DIMSE

  @Test
  void orthancFindsTheStudyAndMovesItToItselfFromTheHub() throws Exception {
    HttpResponse<String> query =
        orthanc.post(
            "/modalities/ponte/query",
            """
            {"Level": "Study", "Query": {"PatientID": "%s", "StudyInstanceUID": "",
             "PatientName": "", "NumberOfStudyRelatedInstances": ""}}
            """
                .formatted(mrn));
    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
    String queryId = field(query.body(), "ID");
    List<String> answers = ids(orthanc.get("/queries/" + queryId + "/answers").body());
    assertThat(answers).hasSize(1);
    String answer = orthanc.get("/queries/" + queryId + "/answers/0/content?simplify").body();
    assertThat(field(answer, "StudyInstanceUID")).isEqualTo(studyUid);
    assertThat(field(answer, "PatientName")).isEqualTo("Gonçalves^Maria");
    assertThat(field(answer, "NumberOfStudyRelatedInstances").trim())
        .isEqualTo(Integer.toString(sent.size()));

    HttpResponse<String> retrieve =
        orthanc.post(
            "/queries/" + queryId + "/answers/0/retrieve",
            "{\"TargetAet\": \"" + AE + "\", \"Synchronous\": true}");
    assertThat(retrieve.statusCode()).as(retrieve.body()).isEqualTo(200);

    assertThat(storedInOrthanc(studyUid)).isEqualTo(sent);
    // Audited at the hub as a read of the study by the AE's organisation, as on DICOMweb.
    String audit = auditEvents("dimse:" + AE, studyUid, "read", 0);
    assertThat(audit).contains("\"value\":\"clinic-norte\"");
  }

  @Test
  void aMoveOfAStudyWhosePatientDeniesTheClinicFailsInOrthancAndStoresNothing() throws Exception {
    HttpResponse<String> query =
        orthanc.post(
            "/modalities/ponte/query",
            """
            {"Level": "Study", "Query": {"PatientID": "DENY-%s", "StudyInstanceUID": ""}}
            """
                .formatted(run));
    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(ids(orthanc.get("/queries/" + field(query.body(), "ID") + "/answers").body()))
        .isEmpty();

    HttpResponse<String> move =
        orthanc.post(
            "/modalities/ponte/move",
            """
            {"Level": "Study", "Resources": [{"StudyInstanceUID": "%s"}],
             "TargetAet": "%s", "Synchronous": true}
            """
                .formatted(deniedStudyUid, AE));
    assertThat(move.statusCode()).as(move.body()).isNotEqualTo(200);
    assertThat(ids(orthanc.get("/studies").body())).isEmpty();
    assertThat(auditEvents("dimse:" + AE, deniedStudyUid, "read", 4))
        .contains("\"value\":\"clinic-norte\"");
  }

  // ------------------------------------------------------------------ DICOMweb

  @Test
  void orthancQueriesAndRetrievesOverDicomwebWithTheServiceClientsToken() throws Exception {
    assertThat(renewOnce().exitValue()).isZero();
    HttpResponse<String> studies =
        orthanc.post(
            "/dicom-web/servers/ponte/get",
            "{\"Uri\": \"/studies\", \"Arguments\": {\"PatientID\": \"" + mrn + "\"}}");
    assertThat(studies.statusCode()).as(studies.body()).isEqualTo(200);
    assertThat(studies.body()).contains(studyUid);

    HttpResponse<String> retrieve =
        orthanc.post(
            "/dicom-web/servers/ponte/retrieve",
            "{\"Resources\": [{\"Study\": \"" + studyUid + "\"}]}");
    assertThat(retrieve.statusCode()).as(retrieve.body()).isEqualTo(200);
    assertThat(storedInOrthanc(studyUid)).isEqualTo(sent);
    assertThat(auditEvents(clientId, studyUid, "read", 0)).contains("\"value\":\"clinic-norte\"");

    // Consent applies to the PACS as to the clinic's clinicians.
    HttpResponse<String> denied =
        orthanc.post(
            "/dicom-web/servers/ponte/retrieve",
            "{\"Resources\": [{\"Study\": \"" + deniedStudyUid + "\"}]}");
    assertThat(denied.statusCode()).isNotEqualTo(200);
    assertThat(ids(orthanc.get("/studies").body())).hasSize(1);
  }

  @Test
  void aPastedTokenFailsAfterExpiryAndTheRenewalRecipeKeepsOrthancWorking() throws Exception {
    assertThat(renewOnce().exitValue()).isZero();
    assertThat(qidoThroughOrthanc()).isEqualTo(200);
    // Without renewal: the fixed header outlives its token (the "401 after five minutes").
    Thread.sleep((LIFESPAN_SECONDS + 3) * 1000L);
    assertThat(qidoThroughOrthanc()).isEqualTo(401);

    Process renewing = script(List.of()).start();
    try {
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (qidoThroughOrthanc() != 200 && System.nanoTime() < until) {
        Thread.sleep(500);
      }
      // Then over more than two lifetimes every query works.
      long end = System.nanoTime() + Duration.ofSeconds(LIFESPAN_SECONDS * 2L + 5).toNanos();
      int queries = 0;
      while (System.nanoTime() < end) {
        assertThat(qidoThroughOrthanc()).as("query %d while renewing", queries).isEqualTo(200);
        queries++;
        Thread.sleep(2000);
      }
      assertThat(queries).isGreaterThan(10);
      assertThat(renewing.isAlive()).isTrue();
    } finally {
      renewing.destroy();
      renewing.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theServiceClientsTokenReadsButCannotWriteNorReachOtherRolesApis() {
    String token = serviceToken();
    // It reads, for clinic-norte (consent applies: the denied patient's study is not listed).
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(token)
        .accept("application/dicom+json")
        .queryParam("PatientID", "DENY-" + run)
        .get("/dicomweb/studies")
        .then()
        .statusCode(200);
    // STOW-RS: the hub stores nothing (it has no STOW), and the node takes no hub token.
    byte[] part = new byte[] {0};
    int hubStow =
        given()
            .baseUri(hub.baseUrl())
            .auth()
            .oauth2(token)
            .contentType("multipart/related; type=\"application/dicom\"; boundary=x")
            .body(part)
            .post("/dicomweb/studies")
            .statusCode();
    assertThat(hubStow).isEqualTo(405);
    given()
        .baseUri(node.baseUrl())
        .auth()
        .oauth2(token)
        .contentType("multipart/related; type=\"application/dicom\"; boundary=x")
        .body(part)
        .post("/dicomweb/studies")
        .then()
        .statusCode(401);
    // Publishing, consent and identity writes, the authority's and the admin's APIs: 403.
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(token)
        .contentType("application/fhir+json")
        .body("{\"resourceType\":\"ImagingStudy\",\"status\":\"available\"}")
        .put("/fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + studyUid)
        .then()
        .statusCode(403);
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(token)
        .contentType("application/fhir+json")
        .body("{\"resourceType\":\"Consent\",\"status\":\"active\"}")
        .post("/fhir/Consent")
        .then()
        .statusCode(403);
    for (String path :
        List.of(
            "/api/authority/figures?from=2025-01-01&to=2025-12-31",
            "/fhir/AuditEvent?entity=" + studyUid,
            "/fhir/Patient?identifier=" + mrn)) {
      given().baseUri(hub.baseUrl()).auth().oauth2(token).get(path).then().statusCode(403);
    }
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("[]")
        .put("/api/identity/links/REG-999999")
        .then()
        .statusCode(403);
    // Break-glass is a clinician's act with a stated reason, not a machine's.
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{\"patient\":\"" + mrn + "\",\"reason\":\"machine\",\"duration\":\"PT1H\"}")
        .post("/api/emergency-access")
        .then()
        .statusCode(403);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The realm file's client, under this run's id and with a short token lifespan; its service
   * account gets the realm file's roles for it.
   */
  @SuppressWarnings("unchecked")
  private void createServiceClient() throws IOException {
    Map<String, Object> realm =
        new ObjectMapper()
            .readValue(Paths.get("realm-config", "ponte-realm.json").toFile(), Map.class);
    Map<String, Object> client =
        ((List<Map<String, Object>>) realm.get("clients"))
            .stream()
                .filter(c -> REALM_CLIENT.equals(c.get("clientId")))
                .findFirst()
                .map(LinkedHashMap::new)
                .orElseThrow(() -> new AssertionError("realm file has no " + REALM_CLIENT));
    List<String> roles =
        ((List<Map<String, Object>>) realm.get("users"))
            .stream()
                .filter(u -> REALM_CLIENT.equals(u.get("serviceAccountClientId")))
                .findFirst()
                .map(u -> (List<String>) u.get("realmRoles"))
                .orElseThrow();
    clientId = REALM_CLIENT + "-it-" + run;
    client.put("clientId", clientId);
    client.put("secret", clientId + "-secret");
    client.put("attributes", Map.of("access.token.lifespan", Integer.toString(LIFESPAN_SECONDS)));
    clientInternalId = KeycloakAdmin.createClient("ponte", client);
    for (String role : roles) {
      KeycloakAdmin.grantServiceAccountRole("ponte", clientInternalId, role);
    }
  }

  private String serviceToken() {
    return Tokens.client(clientId);
  }

  private ProcessBuilder script(List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("renew.log").toFile()));
    Map<String, String> env = pb.environment();
    env.put("PONTE_TOKEN_URL", TestServices.REALM_URL + "/protocol/openid-connect/token");
    env.put("PONTE_PACS_CLIENT_ID", clientId);
    env.put("PONTE_PACS_CLIENT_SECRET", clientId + "-secret");
    env.put("PONTE_HUB_DICOMWEB_URL", hub.baseUrl() + "/dicomweb/");
    env.put("ORTHANC_URL", orthanc.url());
    env.put("ORTHANC_SERVER", "ponte");
    return pb;
  }

  private Process renewOnce() throws IOException, InterruptedException {
    Process p = script(List.of("--once")).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p;
  }

  private int qidoThroughOrthanc() throws IOException, InterruptedException {
    return orthanc
        .post(
            "/dicom-web/servers/ponte/get",
            "{\"Uri\": \"/studies\", \"Arguments\": {\"PatientID\": \"" + mrn + "\"}}")
        .statusCode();
  }

  /** The study's instances as Orthanc stored them: SOP Instance UID to pixel data SHA-256. */
  private Map<String, String> storedInOrthanc(String study) throws Exception {
    Map<String, String> stored = new TreeMap<>();
    HttpResponse<String> lookup = orthanc.post("/tools/lookup", study);
    List<String> found = ids(lookup.body());
    if (found.isEmpty()) {
      return stored;
    }
    for (String instance : ids(orthanc.get("/studies/" + found.get(0) + "/instances").body())) {
      Attributes ds = read(orthanc.bytes("/instances/" + instance + "/file").body());
      assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(study);
      stored.put(ds.getString(Tag.SOPInstanceUID), sha256(ds.getBytes(Tag.PixelData)));
    }
    return stored;
  }

  private String auditEvents(String agent, String study, String subtype, int outcome) {
    return given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get(
            "/fhir/AuditEvent?agent="
                + agent
                + "&entity="
                + study
                + "&subtype="
                + subtype
                + "&outcome="
                + outcome)
        .then()
        .statusCode(200)
        .body("entry.size()", org.hamcrest.Matchers.greaterThan(0))
        .extract()
        .asString();
  }

  private static Attributes read(byte[] file) throws IOException {
    try (InputStream in = new ByteArrayInputStream(file);
        DicomInputStream dicom = new DicomInputStream(in)) {
      return dicom.readDataset();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    assertThat(bytes).isNotEmpty();
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The string ids of a JSON array of ids or of objects with an "ID". */
  private static List<String> ids(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (Object o : new ObjectMapper().readValue(json, List.class)) {
      out.add(o instanceof Map<?, ?> m ? String.valueOf(m.get("ID")) : String.valueOf(o));
    }
    return out;
  }

  private static String field(String json, String name) throws IOException {
    Object value = new ObjectMapper().readValue(json, Map.class).get(name);
    return value == null ? null : value.toString();
  }
}
