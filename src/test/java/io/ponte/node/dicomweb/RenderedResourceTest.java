package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rendered images and thumbnails at the node (PS3.18 10.4.1.1.3, 10.7): the right frame drawn with
 * the asked window (checked pixel by pixel against PS3.3's formula in lossless PNG), viewport and
 * crop, thumbnails of each level, and the refusals.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class RenderedResourceTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  @Inject InstanceStore store;

  String study;
  String series;
  String ctSeries;
  String ctSop;
  Frames.Image gray;
  Frames.Image rgb;
  Frames.Image implicit;

  @BeforeEach
  void ingest() throws Exception {
    Path dir = Files.createTempDirectory(Paths.get("target"), "rendered-");
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    ctSeries = DicomTestFiles.newUid();
    gray =
        Frames.multiFrame(dir, study, series, DicomTestFiles.newUid(), 32, 48, 5, 1, 16, false, 21);
    rgb =
        Frames.multiFrame(dir, study, series, DicomTestFiles.newUid(), 16, 16, 3, 3, 8, false, 22);
    implicit =
        Frames.multiFrame(dir, study, series, DicomTestFiles.newUid(), 20, 20, 4, 1, 16, true, 23);
    ctSop = DicomTestFiles.newUid();
    for (Path file :
        new Path[] {
          gray.file(),
          rgb.file(),
          implicit.file(),
          DicomTestFiles.ct(dir, study, ctSeries, ctSop, 64 * 64 * 2, 24)
        }) {
      try (InputStream in = Files.newInputStream(file)) {
        store.storePart10(SOURCE, in);
      }
    }
  }

  @Test
  void drawsTheAskedFrameWithTheAskedWindow() throws IOException {
    BufferedImage image =
        png(
            asHub()
                .accept("image/png")
                .queryParam("window", "32768,65536,linear")
                .get(instanceUrl(gray) + "/frames/2/rendered"));
    assertThat(image.getWidth()).isEqualTo(48);
    assertThat(image.getHeight()).isEqualTo(32);
    byte[] frame = gray.frame(2);
    for (int i = 0; i < 32 * 48; i++) {
      int raw = (frame[2 * i] & 0xff) | (frame[2 * i + 1] & 0xff) << 8;
      int expected = linear(raw, 32768, 65536);
      int grey = image.getRaster().getSample(i % 48, i / 48, 0);
      assertThat(grey).as("pixel %d", i).isEqualTo(expected);
    }
  }

  @Test
  void drawsColourAndImplicitVrFrames() throws IOException {
    BufferedImage colour =
        png(asHub().accept("image/png").get(instanceUrl(rgb) + "/frames/3/rendered"));
    byte[] frame = rgb.frame(3);
    int rgbAt00 = (frame[0] & 0xff) << 16 | (frame[1] & 0xff) << 8 | (frame[2] & 0xff);
    assertThat(colour.getRGB(0, 0) & 0xffffff).isEqualTo(rgbAt00);
    BufferedImage fromImplicit =
        png(asHub().accept("image/png").get(instanceUrl(implicit) + "/rendered"));
    assertThat(fromImplicit.getWidth()).isEqualTo(20);
  }

  @Test
  void fitsTheViewportAndCropsTheSourceRegion() throws IOException {
    BufferedImage fitted =
        png(
            asHub()
                .accept("image/png")
                .queryParam("viewport", "24,24")
                .get(instanceUrl(gray) + "/frames/1/rendered"));
    assertThat(fitted.getWidth()).isEqualTo(24);
    assertThat(fitted.getHeight()).isEqualTo(16);
    BufferedImage enlarged =
        png(
            asHub()
                .accept("image/png")
                .queryParam("viewport", "96,96")
                .get(instanceUrl(gray) + "/frames/1/rendered"));
    assertThat(enlarged.getWidth()).isEqualTo(96);
    BufferedImage whole =
        png(
            asHub()
                .accept("image/png")
                .queryParam("window", "32768,65536")
                .get(instanceUrl(gray) + "/frames/1/rendered"));
    BufferedImage corner =
        png(
            asHub()
                .accept("image/png")
                .queryParam("window", "32768,65536")
                .queryParam("viewport", "8,8,4,2,8,8")
                .get(instanceUrl(gray) + "/frames/1/rendered"));
    assertThat(corner.getWidth()).isEqualTo(8);
    assertThat(corner.getRaster().getSample(0, 0, 0))
        .isEqualTo(whole.getRaster().getSample(4, 2, 0));
  }

  /**
   * Explicit VR Big Endian is uncompressed: its frame (dcmconv +tb of the gray image, a new SOP
   * Instance UID) is drawn with each 16-bit sample swapped, pixel for pixel as the little endian
   * original; a genuinely compressed one (dcmcrle) is refused as compressed, never as big endian.
   */
  @Test
  void drawsBigEndianFramesAndRefusesCompressedOnesAsCompressed() throws Exception {
    Path dir = gray.file().getParent();
    String bigSop = DicomTestFiles.newUid();
    Path withSop = dir.resolve(bigSop + ".le.dcm");
    Files.copy(gray.file(), withSop);
    DicomTestFiles.run("dcmodify", "-nb", "-m", "(0008,0018)=" + bigSop, withSop.toString());
    Path big = dir.resolve(bigSop + ".dcm");
    DicomTestFiles.run("dcmconv", "+tb", withSop.toString(), big.toString());
    String rleSop = DicomTestFiles.newUid();
    Path rleSource = dir.resolve(rleSop + ".le.dcm");
    Files.copy(gray.file(), rleSource);
    DicomTestFiles.run("dcmodify", "-nb", "-m", "(0008,0018)=" + rleSop, rleSource.toString());
    Path rle = dir.resolve(rleSop + ".dcm");
    DicomTestFiles.run("dcmcrle", rleSource.toString(), rle.toString());
    for (Path file : new Path[] {big, rle}) {
      try (InputStream in = Files.newInputStream(file)) {
        store.storePart10(SOURCE, in);
      }
    }
    String bigUrl = "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + bigSop;
    BufferedImage image =
        png(
            asHub()
                .accept("image/png")
                .queryParam("window", "32768,65536,linear")
                .get(bigUrl + "/frames/2/rendered"));
    byte[] frame = gray.frame(2);
    for (int i = 0; i < 32 * 48; i++) {
      int raw = (frame[2 * i] & 0xff) | (frame[2 * i + 1] & 0xff) << 8;
      assertThat(image.getRaster().getSample(i % 48, i / 48, 0))
          .as("pixel %d", i)
          .isEqualTo(linear(raw, 32768, 65536));
    }
    Response thumbnail = asHub().get(bigUrl + "/thumbnail");
    assertThat(thumbnail.statusCode()).isEqualTo(200);
    assertThat(thumbnail.header("Warning")).isNull();

    String rleUrl = "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + rleSop;
    Response refused = asHub().accept("image/png").get(rleUrl + "/rendered");
    assertThat(refused.statusCode()).isEqualTo(406);
    assertThat(refused.asString()).contains("compressed").doesNotContain("big endian");
    assertThat(asHub().get(rleUrl + "/thumbnail").header("Warning"))
        .contains("compressed")
        .doesNotContain("big endian");
  }

  @Test
  void servesJpegByDefault() throws IOException {
    Response r =
        asHub()
            .get(
                "/dicomweb/studies/"
                    + study
                    + "/series/"
                    + ctSeries
                    + "/instances/"
                    + ctSop
                    + "/rendered");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("image/jpeg");
    assertThat(ImageIO.read(new ByteArrayInputStream(r.asByteArray())).getWidth()).isEqualTo(64);
    Response lowQuality =
        asHub()
            .queryParam("quality", "5")
            .get(
                "/dicomweb/studies/"
                    + study
                    + "/series/"
                    + ctSeries
                    + "/instances/"
                    + ctSop
                    + "/rendered");
    assertThat(lowQuality.asByteArray().length).isLessThan(r.asByteArray().length);
  }

  @Test
  void thumbnailsOfEachLevelAreSmallPictures() throws IOException {
    for (String url :
        new String[] {
          "/dicomweb/studies/" + study + "/thumbnail",
          "/dicomweb/studies/" + study + "/series/" + ctSeries + "/thumbnail",
          "/dicomweb/studies/"
              + study
              + "/series/"
              + ctSeries
              + "/instances/"
              + ctSop
              + "/thumbnail",
          instanceUrl(gray) + "/frames/4/thumbnail"
        }) {
      Response r = asHub().get(url);
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.contentType()).isEqualTo("image/jpeg");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
      assertThat(Math.max(image.getWidth(), image.getHeight())).as(url).isLessThanOrEqualTo(128);
    }
    BufferedImage small =
        png(
            asHub()
                .accept("image/png")
                .queryParam("viewport", "12,12")
                .get(instanceUrl(gray) + "/thumbnail"));
    assertThat(small.getWidth()).isEqualTo(12);
  }

  @Test
  void refusesWhatHasNoSinglePictureOrIsMalformed() {
    asHub().get(instanceUrl(gray) + "/frames/6/rendered").then().statusCode(404);
    asHub().get(instanceUrl(gray) + "/frames/1,2/rendered").then().statusCode(400);
    asHub().get(instanceUrl(gray) + "/frames/0/rendered").then().statusCode(400);
    asHub()
        .queryParam("window", "abc,10")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(400);
    asHub()
        .queryParam("window", "10,0")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(400);
    asHub()
        .queryParam("window", "10,10,cubic")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(400);
    asHub()
        .queryParam("viewport", "0,10")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(400);
    asHub()
        .queryParam("viewport", "10,10,0,0,-5,5")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(400);
    asHub().queryParam("quality", "0").get(instanceUrl(gray) + "/rendered").then().statusCode(400);
    asHub()
        .accept("image/gif")
        .get(instanceUrl(gray) + "/rendered")
        .then()
        .statusCode(406)
        .contentType("application/problem+json");
    asHub()
        .get(
            "/dicomweb/studies/"
                + study
                + "/series/"
                + series
                + "/instances/"
                + DicomTestFiles.newUid()
                + "/rendered")
        .then()
        .statusCode(404);
  }

  @Test
  void onlyTheHubMayAsk() {
    given().get(instanceUrl(gray) + "/rendered").then().statusCode(401);
    given()
        .auth()
        .oauth2(Tokens.client("ponte-node-hospital-a"))
        .get("/dicomweb/studies/" + study + "/thumbnail")
        .then()
        .statusCode(401);
  }

  /** PS3.3 C.11.2.1.2.1, written out independently of the renderer. */
  private static int linear(double x, double center, double width) {
    if (x <= center - 0.5 - (width - 1) / 2) {
      return 0;
    }
    if (x > center - 0.5 + (width - 1) / 2) {
      return 255;
    }
    return (int) Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
  }

  private String instanceUrl(Frames.Image image) {
    String name = image.file().getFileName().toString();
    String sop = name.substring(0, name.length() - ".dcm".length());
    return "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop;
  }

  private static BufferedImage png(Response r) throws IOException {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("image/png");
    return ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
  }

  private static RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }
}
