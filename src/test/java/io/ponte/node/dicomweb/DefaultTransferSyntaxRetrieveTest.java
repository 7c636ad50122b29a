package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.EncodedImages;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PS3.18 8.7.3.5.2: application/dicom without a transfer-syntax parameter means Explicit VR Little
 * Endian. Instances stored as Implicit VR LE, Explicit VR Big Endian and Deflated Explicit VR LE
 * (written by dcmconv) are re-encoded; the result must dump (dcmdump) exactly as dcmtk's own
 * conversion of the same file to Explicit VR LE, elements after the pixel data included.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class DefaultTransferSyntaxRetrieveTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  private static final String DICOM_DEFAULT = "multipart/related; type=\"application/dicom\"";

  static Path dir;
  static String study;
  static String series;
  static Path implicit;
  static Path big;
  static Path deflated;
  static Path jpeg;

  @Inject InstanceStore store;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (study != null) {
      return;
    }
    dir = Files.createTempDirectory(Paths.get("target"), "default-ts-");
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    implicit = converted("+ti");
    big = converted("+tb");
    deflated = converted("+td");
    jpeg = converted("+te");
    jpeg = EncodedImages.converted(jpeg, dir.resolve("jpeg.dcm"), "dcmcjpeg", "+eb");
    for (Path f : List.of(implicit, big, deflated, jpeg)) {
      try (InputStream in = Files.newInputStream(f)) {
        store.storePart10(SOURCE, in);
      }
    }
  }

  /** A 16-bit CT with a private element after its pixel data, converted by dcmconv. */
  private static Path converted(String option) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 64 * 64 * 2, sop.hashCode());
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-i",
        "(7fe1,0010)=PONTE TEST",
        "-i",
        "(7fe1,1001)=after",
        file.toString());
    return EncodedImages.converted(file, dir.resolve(sop + option + ".dcm"), "dcmconv", option);
  }

  private static Response retrieve(Path file, String accept) throws Exception {
    String sop = EncodedImages.dataset(file).getString(io.ponte.dicom.Tag.SOPInstanceUID);
    return given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .accept(accept)
        .get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop);
  }

  /** dcmdump of the data set (values in full), meta group, group lengths and comments left out. */
  private static String dump(Path file) throws Exception {
    return Dcmtk.runOk("dcmdump", "+L", file.toString())
        .lines()
        .filter(l -> l.startsWith("("))
        .filter(l -> !l.startsWith("(0002,") && !l.matches("^\\([0-9a-f]{4},0000\\).*"))
        .collect(Collectors.joining("\n"));
  }

  private static void assertServedAsExplicitLittleEndian(Path stored) throws Exception {
    Response r = retrieve(stored, DICOM_DEFAULT);
    assertThat(r.statusCode()).isEqualTo(200);
    List<MultipartParts.Part> parts = MultipartParts.parse(r.contentType(), r.asByteArray());
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).headers().get("content-type"))
        .isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
    Path served = dir.resolve(stored.getFileName() + ".served.dcm");
    Files.write(served, parts.get(0).body());
    assertThat(Dcmtk.runOk("dcmdump", "-M", "+P", "0002,0010", served.toString()))
        .contains("=LittleEndianExplicit");
    Path reference = dir.resolve(stored.getFileName() + ".dcmtk-te.dcm");
    EncodedImages.converted(stored, reference, "dcmconv", "+te");
    assertThat(dump(served)).isEqualTo(dump(reference)).contains("(7fe1,1001)");
  }

  @Test
  void reencodesImplicitLittleEndianByDefault() throws Exception {
    assertServedAsExplicitLittleEndian(implicit);
  }

  @Test
  void reencodesBigEndianByDefaultSwappingPixelWords() throws Exception {
    assertServedAsExplicitLittleEndian(big);
  }

  @Test
  void reencodesDeflatedByDefault() throws Exception {
    assertServedAsExplicitLittleEndian(deflated);
  }

  @Test
  void reencodesWhenExplicitLittleEndianIsNamed() throws Exception {
    Response r = retrieve(big, DICOM_DEFAULT + "; transfer-syntax=" + EXPLICIT_LE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(
            MultipartParts.parse(r.contentType(), r.asByteArray())
                .get(0)
                .headers()
                .get("content-type"))
        .endsWith(EXPLICIT_LE);
  }

  @Test
  void servesAsStoredForAnySyntax() throws Exception {
    Response r = retrieve(implicit, DICOM_DEFAULT + "; transfer-syntax=*");
    assertThat(r.statusCode()).isEqualTo(200);
    List<MultipartParts.Part> parts = MultipartParts.parse(r.contentType(), r.asByteArray());
    assertThat(parts.get(0).headers().get("content-type")).endsWith("1.2.840.10008.1.2");
    assertThat(parts.get(0).body()).isEqualTo(Files.readAllBytes(implicit));
  }

  @Test
  void servesCompressedAsStoredAndNamesItsSyntax() throws Exception {
    Response r = retrieve(jpeg, DICOM_DEFAULT);
    assertThat(r.statusCode()).isEqualTo(200);
    List<MultipartParts.Part> parts = MultipartParts.parse(r.contentType(), r.asByteArray());
    assertThat(parts.get(0).headers().get("content-type")).endsWith("1.2.840.10008.1.2.4.50");
    assertThat(parts.get(0).body()).isEqualTo(Files.readAllBytes(jpeg));
  }

  @Test
  void refusesASyntaxItCannotProduce() throws Exception {
    assertThat(
            retrieve(implicit, DICOM_DEFAULT + "; transfer-syntax=1.2.840.10008.1.2.4.50")
                .statusCode())
        .isEqualTo(406);
    assertThat(retrieve(jpeg, DICOM_DEFAULT + "; transfer-syntax=" + EXPLICIT_LE).statusCode())
        .isEqualTo(406);
  }
}
