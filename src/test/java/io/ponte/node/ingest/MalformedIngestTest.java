package io.ponte.node.ingest;

import static io.ponte.node.ingest.IngestMemoryBoundTest.indexed;
import static io.ponte.node.ingest.IngestMemoryBoundTest.stow;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data sets that are bad past their header, or framed wrongly, are refused at ingest with a clear
 * status and nothing stored; a C-STORE data set that starts with File Meta elements is stored
 * readable.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class MalformedIngestTest {

  private static final String CT = UID.CTImageStorage;

  @Inject DimseListener listener;

  @TempDir Path tmp;

  private final String study = DicomTestFiles.newUid();
  private final String series = DicomTestFiles.newUid();

  private Path ct(String sop) throws IOException {
    return DicomTestFiles.ct(tmp, study, series, sop, 50_000, sop.hashCode());
  }

  /** The bytes after the File Meta Information of a Part 10 file. */
  private static byte[] dataset(byte[] part10) {
    int groupLength = ByteUtil.int32(part10, 132 + 8);
    return Arrays.copyOfRange(part10, 132 + 12 + groupLength, part10.length);
  }

  private DimseStatus cStore(String sop, String ts, byte[] dataset) throws IOException {
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            listener.port(),
            "BAD_SCU",
            "PONTE",
            List.of(PresentationContext.proposed(1, CT, ts)),
            16384,
            Duration.ofSeconds(30))) {
      return a.store(CT, sop, ts, new ByteArrayInputStream(dataset));
    }
  }

  private static void assertRefused(JsonNode response, String sop) {
    assertThat(response.get("status").asInt()).isEqualTo(409);
    JsonNode failed = response.get("body").at("/00081198/Value/0");
    assertThat(failed.at("/00081197/Value/0").asInt()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
    assertThat(failed.at("/00081155/Value/0").asText()).isEqualTo(sop);
  }

  @Test
  void aDeflatedDataSetCutInHalfIsRefusedOverStowAndCStore() throws Exception {
    String sop = DicomTestFiles.newUid();
    Path deflated = tmp.resolve("deflated.dcm");
    DicomTestFiles.run("dcmconv", "+td", ct(sop).toString(), deflated.toString());
    byte[] whole = Files.readAllBytes(deflated);
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);

    assertRefused(stow(new ByteArrayInputStream(cut)), sop);

    byte[] data = dataset(whole);
    DimseStatus status =
        cStore(sop, UID.DeflatedExplicitVRLittleEndian, Arrays.copyOf(data, data.length / 2));
    assertThat(status.code()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
    assertThat(status.errorComment()).startsWith("ponte:invalid-dicom: not readable as DICOM");
    assertThat(indexed(sop)).isFalse();
  }

  @Test
  void aCStoreDataSetStartingWithFileMetaIsStoredWithoutItInEitherEncoding() throws Exception {
    String explicitSop = DicomTestFiles.newUid();
    byte[] explicit = Files.readAllBytes(ct(explicitSop));
    String implicitSop = DicomTestFiles.newUid();
    Path implicit = tmp.resolve("implicit.dcm");
    DicomTestFiles.run("dcmconv", "+ti", ct(implicitSop).toString(), implicit.toString());
    // Sent from after "DICM": the meta group (explicit VR, as PS3.10 writes it), then the data set.
    byte[] explicitWithMeta = Arrays.copyOfRange(explicit, 132, explicit.length);
    byte[] implicitAll = Files.readAllBytes(implicit);
    byte[] implicitWithMeta = Arrays.copyOfRange(implicitAll, 132, implicitAll.length);

    assertThat(cStore(explicitSop, UID.ExplicitVRLittleEndian, explicitWithMeta).code())
        .isEqualTo(DimseStatus.SUCCESS);
    assertThat(cStore(implicitSop, UID.ImplicitVRLittleEndian, implicitWithMeta).code())
        .isEqualTo(DimseStatus.SUCCESS);

    for (String sop : List.of(explicitSop, implicitSop)) {
      String instance = "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop;
      asHub().accept("application/dicom+json").get(instance + "/metadata").then().statusCode(200);
      byte[] frame =
          asHub()
              .accept("multipart/related; type=\"application/octet-stream\"")
              .get(instance + "/frames/1")
              .then()
              .statusCode(200)
              .extract()
              .asByteArray();
      assertThat(frame.length).isGreaterThan(49_000);
    }
  }

  @Test
  void pixelDataThatFramesCouldNotServeIsRefused() throws Exception {
    // Number of Frames 3 with the bytes of one 8 x 8 frame.
    String shortSop = DicomTestFiles.newUid();
    Attributes frames = header(shortSop);
    frames.setString(Tag.NumberOfFrames, VR.IS, "3");
    assertRefused(stow(new ByteArrayInputStream(part10(frames, nativePixels()))), shortSop);
    assertThat(indexed(shortSop)).isFalse();

    // Encapsulated pixel data under explicit VR little endian.
    String encapsulatedSop = DicomTestFiles.newUid();
    ByteArrayOutputStream encapsulated = new ByteArrayOutputStream();
    encapsulated.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, -1, -1, -1, -1});
    encapsulated.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0});
    encapsulated.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 64, 0, 0, 0});
    encapsulated.write(new byte[64]);
    encapsulated.write(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
    assertRefused(
        stow(new ByteArrayInputStream(part10(header(encapsulatedSop), encapsulated.toByteArray()))),
        encapsulatedSop);
    assertThat(indexed(encapsulatedSop)).isFalse();
  }

  @Test
  void elementsAfterThePixelDataAreCheckedAndKeptInTheMetadata() throws Exception {
    String sop = DicomTestFiles.newUid();
    ByteArrayOutputStream trailing = new ByteArrayOutputStream();
    trailing.write(nativePixels());
    // (7FE1,0010) LO "TRAILING", after the pixel data.
    trailing.write(new byte[] {(byte) 0xE1, 0x7F, 0x10, 0x00, 'L', 'O', 8, 0});
    trailing.write("TRAILING".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    JsonNode stored = stow(new ByteArrayInputStream(part10(header(sop), trailing.toByteArray())));
    assertThat(stored.get("status").asInt()).isEqualTo(200);
    String metadata =
        asHub()
            .accept("application/dicom+json")
            .get(
                "/dicomweb/studies/"
                    + study
                    + "/series/"
                    + series
                    + "/instances/"
                    + sop
                    + "/metadata")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode instance = new ObjectMapper().readTree(metadata).get(0);
    assertThat(instance.at("/7FE10010/Value/0").asText()).isEqualTo("TRAILING");
    List<String> keys = new ArrayList<>();
    instance.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).endsWith("7FE00010", "7FE10010");

    // (FFFA,FFFA) Digital Signatures Sequence announcing 100 bytes, of which 8 arrive.
    String signedSop = DicomTestFiles.newUid();
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(nativePixels());
    signed.write(new byte[] {(byte) 0xFA, (byte) 0xFF, (byte) 0xFA, (byte) 0xFF, 'S', 'Q', 0, 0});
    signed.write(
        new byte[] {100, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 92, 0, 0, 0});
    assertRefused(
        stow(new ByteArrayInputStream(part10(header(signedSop), signed.toByteArray()))), signedSop);
    assertThat(indexed(signedSop)).isFalse();
  }

  private Attributes header(String sop) {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, CT);
    ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
    ds.setString(Tag.Modality, VR.CS, "CT");
    ds.setString(Tag.PatientID, VR.LO, "BAD-PIXELS");
    ds.setString(Tag.StudyInstanceUID, VR.UI, study);
    ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.setInt(Tag.Rows, VR.US, 8);
    ds.setInt(Tag.Columns, VR.US, 8);
    ds.setInt(Tag.BitsAllocated, VR.US, 8);
    ds.setInt(Tag.BitsStored, VR.US, 8);
    ds.setInt(Tag.HighBit, VR.US, 7);
    ds.setInt(Tag.PixelRepresentation, VR.US, 0);
    return ds;
  }

  /** (7FE0,0010) OB of one 8 x 8 frame of 8-bit pixels. */
  private static byte[] nativePixels() {
    byte[] element = new byte[12 + 64];
    System.arraycopy(
        new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 64, 0, 0, 0}, 0, element, 0, 12);
    return element;
  }

  /** Explicit VR little endian Part 10: the header, then the pixel data element as given. */
  private static byte[] part10(Attributes header, byte[] pixelElement) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DicomOutputStream out = new DicomOutputStream(b);
    out.writeFileMetaInformation(
        DicomOutputStream.createFileMetaInformation(
            CT, header.getString(Tag.SOPInstanceUID), UID.ExplicitVRLittleEndian));
    out.writeDataset(header, UID.ExplicitVRLittleEndian);
    out.flush();
    b.write(pixelElement);
    return b.toByteArray();
  }

  private static RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }
}
