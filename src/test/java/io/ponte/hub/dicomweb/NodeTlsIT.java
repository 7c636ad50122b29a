package io.ponte.hub.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hub to node over TLS: the hub retrieves from a node process serving HTTPS whose certificate it
 * trusts through {@code ponte.hub.federation.tls-configuration-name}, and refuses the same node
 * reached under a host name its certificate does not carry (no trust-all, host verified).
 */
@QuarkusTest
@TestProfile(TlsNodeProfile.class)
class NodeTlsIT {

  private static final String DICOM = "multipart/related; type=\"application/dicom\"";

  @Test
  void retrievesFromANodeOverVerifiedTls() throws Exception {
    Path dir = Files.createTempDirectory(Paths.get("target"), "node-tls-");
    String study = DicomTestFiles.newUid();
    Path file =
        DicomTestFiles.ct(
            dir, study, DicomTestFiles.newUid(), DicomTestFiles.newUid(), 64 * 1024, 7);
    // Ingest over the node's plain port (its STOW-RS clients are the site's own systems).
    FederatedRetrieveIT.stowAndPublish(
        TlsNodeResource.node.baseUrl(), study, List.of(file), FhirStudies.mrn());

    byte[] retrieved =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept(DICOM)
            .get("/dicomweb/studies/" + study)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(new String(retrieved, StandardCharsets.ISO_8859_1))
        .as("the stored file, byte for byte, inside the hub's multipart answer")
        .contains(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
  }

  @Test
  void refusesANodeWhoseCertificateDoesNotNameTheHostItWasReachedBy() {
    String study = DicomTestFiles.newUid();
    HubFhir.published(
        "ponte-node-hospital-b", FhirStudies.study("hospital-b", FhirStudies.mrn()).uid(study));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .accept(DICOM)
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("site", equalTo("hospital-b"))
        .body("code", equalTo("ponte:site-unavailable"))
        .body("detail", containsString("TLS certificate was not accepted"));
    assertThat(TlsNodeResource.node.isAlive()).as("the node itself is up").isTrue();
  }
}
