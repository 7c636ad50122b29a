package io.ponte.node.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.UID;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.HugeElementInstance;
import io.ponte.testing.Management;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a 400 MB header element by STOW-RS, or 700 MB by C-STORE, ran the node out of memory.
 * Here a 200 MB private OB element before Pixel Data, generated as it is sent (never held by the
 * test), is refused with the standard status while the node reads and discards the rest; the same
 * association or request then stores a normal instance, and the node stays ready.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class IngestMemoryBoundTest {

  private static final long HUGE = 200L << 20;

  @Inject DimseListener listener;

  private static HugeElementInstance instance(long hugeBytes) {
    return new HugeElementInstance(
        DicomTestFiles.newUid(), DicomTestFiles.newUid(), DicomTestFiles.newUid(), hugeBytes);
  }

  static boolean indexed(String sopInstanceUid) throws Exception {
    try (Connection c = TestDatabases.asOwner("ponte_node_test");
        PreparedStatement q =
            c.prepareStatement("select 1 from instance where sop_instance_uid = ?")) {
      q.setString(1, sopInstanceUid);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void cStoreOfAHugeHeaderElementIsRefusedAndTheAssociationStoresTheNext() throws Exception {
    HugeElementInstance huge = instance(HUGE);
    HugeElementInstance small = instance(100);
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            listener.port(),
            "BIG_SCU",
            "PONTE",
            List.of(
                PresentationContext.proposed(
                    1, UID.CTImageStorage, AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN)),
            65536,
            Duration.ofSeconds(60))) {
      DimseStatus refused =
          a.store(
              UID.CTImageStorage,
              huge.sopInstanceUid(),
              AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
              huge.dataset());
      assertThat(refused.code()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
      assertThat(refused.errorComment())
          .startsWith("ponte:payload-too-large: value of (0009,1010) is 209715200 bytes");

      DimseStatus stored =
          a.store(
              UID.CTImageStorage,
              small.sopInstanceUid(),
              AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
              small.dataset());
      assertThat(stored.code()).isEqualTo(DimseStatus.SUCCESS);
    }
    assertThat(indexed(huge.sopInstanceUid())).isFalse();
    assertThat(indexed(small.sopInstanceUid())).isTrue();
    given().get(Management.url("/q/health/ready")).then().statusCode(200);
  }

  @Test
  void stowOfAHugeHeaderElementFailsThatPartAndStoresTheNext() throws Exception {
    HugeElementInstance huge = instance(HUGE);
    HugeElementInstance small = instance(100);
    JsonNode response = stow(huge.part10(), small.part10());
    assertThat(response.get("status").asInt()).isEqualTo(202);
    JsonNode body = response.get("body");
    assertThat(body.at("/00081198/Value").size()).isEqualTo(1);
    assertThat(body.at("/00081198/Value/0/00081197/Value/0").asInt())
        .isEqualTo(DimseStatus.OUT_OF_RESOURCES);
    assertThat(body.at("/00081199/Value/0/00081155/Value/0").asText())
        .isEqualTo(small.sopInstanceUid());
    assertThat(indexed(huge.sopInstanceUid())).isFalse();
    assertThat(indexed(small.sopInstanceUid())).isTrue();
    given().get(Management.url("/q/health/ready")).then().statusCode(200);
  }

  @Test
  void stowOfA200MegabyteFloatPixelDataMapStoresItAndStreamsItsFrames() throws Exception {
    // Float Pixel Data (7FE0,0008) was held like a header value: 700 MB ran the node out of memory.
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    HugeElementInstance map = HugeElementInstance.floatPixels(study, series, sop, 1024, 1024, 50);
    JsonNode response = stow(map.part10());
    assertThat(response.get("status").asInt()).isEqualTo(200);
    assertThat(indexed(sop)).isTrue();
    byte[] frame =
        given()
            .auth()
            .oauth2(Tokens.client("ponte-hub"))
            .accept("multipart/related; type=\"application/octet-stream\"")
            .get(
                "/dicomweb/studies/"
                    + study
                    + "/series/"
                    + series
                    + "/instances/"
                    + sop
                    + "/frames/50")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    // One part of 1024 x 1024 floats, plus the multipart framing.
    assertThat(frame.length).isBetween(4 << 20, (4 << 20) + 1024);
  }

  @Test
  void stowOfAnUnknownTransferSyntaxIsRefusedWithC122() throws Exception {
    HugeElementInstance odd = instance(10);
    JsonNode response = stow(odd.part10Claiming("1.2.840.10008.1.2.4.999"));
    assertThat(response.get("status").asInt()).isEqualTo(409);
    assertThat(response.get("body").at("/00081198/Value/0/00081197/Value/0").asInt())
        .isEqualTo(DimseStatus.TRANSFER_SYNTAX_NOT_SUPPORTED);
    assertThat(indexed(odd.sopInstanceUid())).isFalse();
  }

  /** POSTs the parts as one multipart/related body, streamed: nothing of it is held here. */
  static JsonNode stow(InputStream... parts) throws Exception {
    String boundary = "ponte-huge-boundary";
    java.util.List<InputStream> pieces = new java.util.ArrayList<>();
    for (InputStream part : parts) {
      pieces.add(ascii("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
      pieces.add(part);
      pieces.add(ascii("\r\n"));
    }
    pieces.add(ascii("--" + boundary + "--\r\n"));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RestAssured.port + "/dicomweb/studies"))
            .header("Authorization", "Bearer " + Tokens.client("hospital-a-ingest"))
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
            .header("Accept", "application/dicom+json")
            .timeout(Duration.ofMinutes(2))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new SequenceInputStream(Collections.enumeration(pieces))))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    ObjectMapper json = new ObjectMapper();
    return json.createObjectNode()
        .put("status", response.statusCode())
        .set("body", json.readTree(response.body()));
  }

  private static InputStream ascii(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }
}
