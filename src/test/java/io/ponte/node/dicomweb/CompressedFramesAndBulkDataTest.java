package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.ponte.dicom.Tag;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.EncodedImages;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames of compressed instances passed through in their stored syntax, native ones served as
 * Explicit VR Little Endian (big endian swapped), and the bulk data the metadata's BulkDataURIs
 * name. Images written by dcmtk (dcmcjpeg, dcmcjpls, dcmcrle, dcmconv) and by the project's codec
 * (JPEG 2000 fragments).
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class CompressedFramesAndBulkDataTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");
  private static final String ANY_SYNTAX =
      "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
  private static final String OCTET_DEFAULT =
      "multipart/related; type=\"application/octet-stream\"";

  static String study;
  static String series;
  static Path dir;
  static Path nativeFile;
  static Path jpeg;
  static Path jls;
  static Path rle;
  static Path j2k;
  static List<byte[]> j2kFrames;
  static Frames.Image gray;
  static Path bigEndian;

  @Inject InstanceStore store;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (study != null) {
      return;
    }
    dir = Files.createTempDirectory(Paths.get("target"), "frames-");
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    nativeFile = EncodedImages.withBulkData(dir, study, series, DicomTestFiles.newUid(), 3, 7);
    jpeg = recoded(nativeFile, "dcmcjpeg", "+eb");
    jls = recoded(nativeFile, "dcmcjpls");
    rle = recoded(nativeFile, "dcmcrle");
    j2kFrames =
        List.of(
            EncodedImages.codestream(3000, 1),
            EncodedImages.codestream(700, 2),
            EncodedImages.codestream(2400, 3));
    Path j2kSource = withNewSop(nativeFile);
    j2k = EncodedImages.jpeg2000(j2kSource, dir.resolve("j2k.dcm"), j2kFrames, new int[] {2, 1, 3});
    gray =
        Frames.multiFrame(dir, study, series, DicomTestFiles.newUid(), 16, 24, 3, 1, 16, false, 21);
    bigEndian = recoded(gray.file(), "dcmconv", "+tb");
    for (Path f : List.of(nativeFile, jpeg, jls, rle, j2k, bigEndian)) {
      try (InputStream in = Files.newInputStream(f)) {
        store.storePart10(SOURCE, in);
      }
    }
  }

  /** {@code from} with a new SOP Instance UID, run through a dcmtk tool. */
  private static Path recoded(Path from, String... tool) throws Exception {
    Path withSop = withNewSop(from);
    return EncodedImages.converted(
        withSop, dir.resolve(withSop.getFileName() + "." + tool[0] + ".dcm"), tool);
  }

  private static Path withNewSop(Path from) throws Exception {
    Path copy = dir.resolve(DicomTestFiles.newUid() + ".dcm");
    Files.copy(from, copy);
    String sop = DicomTestFiles.newUid();
    DicomTestFiles.run("dcmodify", "-nb", "-m", "(0008,0018)=" + sop, copy.toString());
    return copy;
  }

  private static RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }

  private static String sop(Path file) throws Exception {
    return EncodedImages.dataset(file).getString(Tag.SOPInstanceUID);
  }

  private static String instanceUrl(Path file) throws Exception {
    return "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop(file);
  }

  private static List<MultipartParts.Part> parts(Response r) {
    return MultipartParts.parse(r.contentType(), r.asByteArray());
  }

  @Test
  void passesCompressedFramesThroughInTheirStoredSyntaxAndMediaType() throws Exception {
    assertFramesPassThrough(jpeg, "image/jpeg", "1.2.840.10008.1.2.4.50");
    assertFramesPassThrough(jls, "image/jls", "1.2.840.10008.1.2.4.80");
    assertFramesPassThrough(rle, "image/dicom-rle", "1.2.840.10008.1.2.5");
  }

  private void assertFramesPassThrough(Path file, String mediaType, String syntax)
      throws Exception {
    List<byte[]> stored = EncodedImages.fragments(file);
    assertThat(stored).hasSize(3); // dcmtk: one fragment per frame
    Response r = asHub().accept(ANY_SYNTAX).get(instanceUrl(file) + "/frames/3,1");
    r.then()
        .statusCode(200)
        .contentType(containsString("multipart/related"))
        .contentType(containsString("type=\"" + mediaType + "\""));
    List<MultipartParts.Part> parts = parts(r);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).headers().get("content-type"))
        .isEqualTo(mediaType + "; transfer-syntax=" + syntax);
    assertThat(parts.get(0).body()).isEqualTo(stored.get(2));
    assertThat(parts.get(1).body()).isEqualTo(stored.get(0));
    assertThat(Long.parseLong(r.header("Content-Length"))).isEqualTo(r.asByteArray().length);
    // named by its media type alone (its default syntax) or by the stored syntax: served too
    asHub()
        .accept("multipart/related; type=\"" + mediaType + "\"; transfer-syntax=" + syntax)
        .get(instanceUrl(file) + "/frames/2")
        .then()
        .statusCode(200);
  }

  @Test
  void findsFramesSplitOverFragmentsByTheirCodestreamStart() throws Exception {
    Response r = asHub().accept("*/*").get(instanceUrl(j2k) + "/frames/1,2,3");
    r.then().statusCode(200);
    List<MultipartParts.Part> parts = parts(r);
    assertThat(parts).extracting(MultipartParts.Part::body).containsExactlyElementsOf(j2kFrames);
    assertThat(parts.get(0).headers().get("content-type"))
        .isEqualTo("image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90");
  }

  @Test
  void refusesASyntaxItCannotProduceWithAProblem() throws Exception {
    // octet-stream without a transfer-syntax means Explicit VR Little Endian: a JPEG frame is not
    asHub()
        .accept(OCTET_DEFAULT)
        .get(instanceUrl(jpeg) + "/frames/1")
        .then()
        .statusCode(406)
        .contentType("application/problem+json")
        .body("code", equalTo("ponte:not-acceptable"))
        .body("detail", containsString("transfer-syntax=*"));
    asHub()
        .accept("multipart/related; type=\"image/jls\"")
        .get(instanceUrl(jpeg) + "/frames/1")
        .then()
        .statusCode(406);
    asHub()
        .accept("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70")
        .get(instanceUrl(jpeg) + "/frames/1")
        .then()
        .statusCode(406);
    // native frames are not compressed on the fly
    asHub()
        .accept("multipart/related; type=\"image/jpeg\"")
        .get(instanceUrl(nativeFile) + "/frames/1")
        .then()
        .statusCode(406);
  }

  @Test
  void servesNativeFramesAsExplicitLittleEndianSwappingBigEndianWords() throws Exception {
    Response r = asHub().accept(ANY_SYNTAX).get(instanceUrl(bigEndian) + "/frames/2");
    r.then().statusCode(200);
    MultipartParts.Part part = parts(r).get(0);
    assertThat(part.headers().get("content-type"))
        .isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
    assertThat(part.body()).isEqualTo(gray.frame(2));
    assertThat(parts(asHub().accept(OCTET_DEFAULT).get(instanceUrl(bigEndian) + "/frames/3")))
        .extracting(MultipartParts.Part::body)
        .containsExactly(gray.frame(3));
  }

  @Test
  void answersFramesOutOfRangeAndMalformedListsWithTheirStatus() throws Exception {
    asHub()
        .accept(ANY_SYNTAX)
        .get(instanceUrl(jls) + "/frames/4")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("has 3"));
    asHub().accept(ANY_SYNTAX).get(instanceUrl(jls) + "/frames/0").then().statusCode(400);
    asHub().accept(ANY_SYNTAX).get(instanceUrl(jls) + "/frames/1,a").then().statusCode(400);
  }

  @Test
  void metadataNamesLargeValuesByBulkDataUriAndInlinesSmallOnes() throws Exception {
    Response md = asHub().get(instanceUrl(nativeFile) + "/metadata");
    md.then().statusCode(200);
    String base = instanceUrl(nativeFile);
    assertThat(md.<String>path("[0].'00282000'.BulkDataURI"))
        .startsWith("http")
        .endsWith(base + "/bulkdata/00282000");
    assertThat(md.<String>path("[0].'00880200'.Value[0].'7FE00010'.BulkDataURI"))
        .endsWith(base + "/bulkdata/00880200/0/7FE00010");
    byte[] overlay = Base64.getDecoder().decode(md.<String>path("[0].'60003000'.InlineBinary"));
    assertThat(overlay).isEqualTo(EncodedImages.dataset(nativeFile).getBytes(0x60003000));
    assertThat(md.<String>path("[0].'7FE00010'.BulkDataURI")).endsWith(base + "/frames/1,2,3");
    // compressed pixel data: its frames, in their stored syntax
    Response jpegMd = asHub().get(instanceUrl(jpeg) + "/metadata");
    assertThat(jpegMd.<String>path("[0].'7FE00010'.vr")).isEqualTo("OB");
    assertThat(jpegMd.<String>path("[0].'7FE00010'.BulkDataURI")).endsWith("/frames/1,2,3");
  }

  @Test
  void servesBulkDataAtItsUri() throws Exception {
    String uri =
        asHub().get(instanceUrl(nativeFile) + "/metadata").path("[0].'00282000'.BulkDataURI");
    String path = uri.substring(uri.indexOf("/dicomweb/"));
    Response r = asHub().accept(ANY_SYNTAX).get(path);
    r.then().statusCode(200).contentType(containsString("type=\"application/octet-stream\""));
    MultipartParts.Part part = parts(r).get(0);
    assertThat(part.headers().get("content-type"))
        .isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
    assertThat(part.body()).isEqualTo(EncodedImages.dataset(nativeFile).getBytes(0x00282000));
    byte[] icon =
        parts(asHub().get(instanceUrl(nativeFile) + "/bulkdata/00880200/0/7FE00010")).get(0).body();
    assertThat(icon)
        .hasSize(EncodedImages.ICON_BYTES)
        .isEqualTo(
            EncodedImages.dataset(nativeFile)
                .getSequence(0x00880200)
                .get(0)
                .getBytes(Tag.PixelData));
    // Pixel Data's own path: its frames
    assertThat(parts(asHub().accept(ANY_SYNTAX).get(instanceUrl(jls) + "/bulkdata/7FE00010")))
        .extracting(MultipartParts.Part::body)
        .containsExactlyElementsOf(EncodedImages.fragments(jls));
  }

  @Test
  void answersUnknownBulkDataAndBadPathsWithTheirStatus() throws Exception {
    asHub()
        .get(instanceUrl(nativeFile) + "/bulkdata/00282002")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    asHub().get(instanceUrl(nativeFile) + "/bulkdata/00880200/5/7FE00010").then().statusCode(404);
    // a text element is no bulk data
    asHub().get(instanceUrl(nativeFile) + "/bulkdata/00100010").then().statusCode(404);
    asHub()
        .get(instanceUrl(nativeFile) + "/bulkdata/not-a-tag")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    asHub()
        .get(
            "/dicomweb/studies/"
                + study
                + "/series/"
                + series
                + "/instances/"
                + DicomTestFiles.newUid()
                + "/bulkdata/00282000")
        .then()
        .statusCode(404);
    asHub()
        .get(
            "/dicomweb/studies/"
                + study
                + "/series/"
                + series
                + "/instances/1.2.x/bulkdata/00282000")
        .then()
        .statusCode(400);
    asHub()
        .accept("multipart/related; type=\"image/jpeg\"")
        .get(instanceUrl(nativeFile) + "/bulkdata/00282000")
        .then()
        .statusCode(406);
  }

  @Test
  void leavesBulkDataOutOfQidoAnswers() throws Exception {
    Response r =
        asHub()
            .queryParam("SOPInstanceUID", sop(nativeFile))
            .queryParam("includefield", "all")
            .get("/dicomweb/studies/" + study + "/series/" + series + "/instances");
    r.then().statusCode(200).body("[0].'00282000'", nullValue());
    assertThat(r.asString()).doesNotContain("bulkdata/").doesNotContain("InlineBinary");
  }
}
