package io.ponte;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.stream.MultipartRelatedReader;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.Tokens;
import io.restassured.response.Response;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The federation slice end to end, with every part real: storescu (dcmtk) sends a generated
 * 3-series study to node A's C-STORE SCP; node A publishes it to the hub; the clinic clinician
 * (ana.clinic, Keycloak token) finds it with HAPI FHIR's generic client and with QIDO-RS at the
 * hub, and retrieves it with WADO-RS through the hub; every instance's data set is byte-for-byte
 * what storescu sent (SHA-256).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationSliceIT {

  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

  PonteProcess hub;
  PonteProcess node;
  int dimsePort;
  String studyUid;
  final List<Path> sent = new ArrayList<>();

  @BeforeAll
  void startHubAndNodeAndSendAStudy() throws Exception {
    Dcmtk.require("storescu");
    int hubPort = FreePorts.next();
    dimsePort = FreePorts.next();
    String run = UUID.randomUUID().toString().substring(0, 8);
    node =
        PonteProcess.node("hospital-a", "ponte_node_it_slice")
            .property("ponte.node.dimse.port", Integer.toString(dimsePort))
            .property(
                "ponte.node.storage.cache-dir",
                Paths.get("target", "it-cache-" + run).toAbsolutePath().toString())
            .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .start();
    hub =
        PonteProcess.hub("ponte_hub_it_slice")
            .port(hubPort)
            .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
            .start();

    DemoCatalogue.Patient patient =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", "IT-" + run, "Gonçalves^Inês", "19790203", "F", null);
    DemoCatalogue.Study study =
        new DemoCatalogue.Study(
            patient, "it-slice-" + run, "CT", "20260314", "101500", "CT Thorax", "CHEST", 3, 2);
    studyUid = SampleStudyWriter.uid(study.key());
    sent.addAll(SampleStudyWriter.write(study, Paths.get("target", "it-slice-" + run), 512));

    List<String> command =
        new ArrayList<>(
            List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(dimsePort)));
    sent.forEach(f -> command.add(f.toString()));
    ProcessBuilder storescu = new ProcessBuilder(command).redirectErrorStream(true);
    storescu.environment().put("TCP_NODELAY", "1");
    Process process = storescu.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("storescu: %s", output).isZero();
  }

  @AfterAll
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theClinicClinicianFindsTheStudyWithHapiFhirQidoRsAndRetrievesItByteForByte()
      throws Exception {
    ImagingStudy found = awaitPublished();
    assertThat(found.getNumberOfSeries()).isEqualTo(3);
    assertThat(found.getNumberOfInstances()).isEqualTo(6);
    assertThat(found.getEndpointFirstRep().getReference()).isNotBlank();
    assertThat(found.getSubject().getIdentifier().getSystem())
        .isEqualTo("urn:ponte:site:hospital-a:mrn");

    String clinician = Tokens.user("ana.clinic");
    List<Map<String, Object>> qido =
        given()
            .baseUri(hub.baseUrl())
            .auth()
            .oauth2(clinician)
            .accept("application/dicom+json")
            .queryParam("StudyInstanceUID", studyUid)
            .get("/dicomweb/studies")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertThat(qido).hasSize(1);

    String requestId = "slice-" + UUID.randomUUID();
    Response wado =
        given()
            .baseUri(hub.baseUrl())
            .auth()
            .oauth2(clinician)
            .header("X-Request-Id", requestId)
            .accept(DICOM_ANY)
            .get("/dicomweb/studies/" + studyUid);
    assertThat(wado.statusCode()).isEqualTo(200);
    List<String> retrieved = new ArrayList<>();
    try (InputStream body = wado.asInputStream()) {
      MultipartRelatedReader parts = new MultipartRelatedReader(body, boundary(wado.contentType()));
      for (MultipartRelatedReader.Part part = parts.next(); part != null; part = parts.next()) {
        retrieved.add(datasetSha256(part.content().readAllBytes()));
      }
    }
    List<String> expected = new ArrayList<>();
    for (Path file : sent) {
      expected.add(datasetSha256(Files.readAllBytes(file)));
    }
    assertThat(retrieved).containsExactlyInAnyOrderElementsOf(expected);

    // Both ends of the retrieve are in the hub's audit, correlated by the request id: the hub's own
    // record and node A's, sent through its audit outbox; and node A's record of the C-STOREs.
    List<Map<String, Object>> ends = awaitAuditEvents("entity=" + requestId, 2);
    assertThat(ends)
        .anySatisfy(e -> assertThat(e.toString()).contains("code=rest"))
        .anySatisfy(
            e ->
                assertThat(e.toString())
                    .contains("code=110104")
                    .contains("site=hospital-a")
                    .contains("value=ponte-hub"));
    List<Map<String, Object>> ingest =
        awaitAuditEvents("site=hospital-a&type=110104&entity=" + studyUid + "&agent=STORESCU", 1);
    assertThat(ingest.get(0).toString()).contains("action=C").contains("6 instances");
  }

  /** The resources of the hub's AuditEvent search, once it finds at least {@code count}. */
  private List<Map<String, Object>> awaitAuditEvents(String query, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Map<String, Object>> found = List.of();
    while (System.nanoTime() < deadline) {
      found =
          given()
              .baseUri(hub.baseUrl())
              .auth()
              .oauth2(Tokens.user("rita.authority"))
              .get("/fhir/AuditEvent?" + query)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("entry.resource");
      if (found != null && found.size() >= count) {
        return found;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the hub's audit has " + found + " for " + query + "; see " + node.log());
  }

  @Test
  void theAuthorityCannotRetrieveImagesThroughTheHub() throws Exception {
    awaitPublished();
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .accept(DICOM_ANY)
        .get("/dicomweb/studies/" + studyUid)
        .then()
        .statusCode(403);
    given()
        .baseUri(hub.baseUrl())
        .accept(DICOM_ANY)
        .get("/dicomweb/studies/" + studyUid)
        .then()
        .statusCode(401);
  }

  private ImagingStudy awaitPublished() throws InterruptedException {
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = fhir.newRestfulGenericClient(hub.baseUrl() + "/fhir");
    client.registerInterceptor(new BearerTokenAuthInterceptor(Tokens.user("ana.clinic")));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      Bundle bundle =
          client
              .search()
              .forResource(ImagingStudy.class)
              .where(
                  ImagingStudy.IDENTIFIER
                      .exactly()
                      .systemAndIdentifier("urn:dicom:uid", "urn:oid:" + studyUid))
              .returnBundle(Bundle.class)
              .execute();
      if (!bundle.getEntry().isEmpty()) {
        ImagingStudy study = (ImagingStudy) bundle.getEntryFirstRep().getResource();
        if (study.getNumberOfInstances() == sent.size()) {
          return study;
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "node A did not publish study "
            + studyUid
            + " to the hub within 90 s; see "
            + node.log()
            + " and "
            + hub.log());
  }

  private static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.startsWith("boundary=")) {
        return p.substring("boundary=".length()).replace("\"", "");
      }
    }
    throw new AssertionError("no boundary in " + contentType);
  }

  /**
   * SHA-256 of the data set after the File Meta Information: what DIMSE carries. The node writes
   * its own meta group in front of the data set it received, so the data set is what must be
   * byte-identical.
   */
  static String datasetSha256(byte[] part10) throws NoSuchAlgorithmException {
    assertThat(new String(part10, 128, 4)).isEqualTo("DICM");
    // (0002,0000) UL: tag 4 + VR 2 + length 2, value at 140.
    int groupLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int datasetStart = 144 + groupLength;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(part10, datasetStart, part10.length - datasetStart);
    return HexFormat.of().formatHex(sha.digest());
  }
}
