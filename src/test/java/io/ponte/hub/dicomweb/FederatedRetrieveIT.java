package io.ponte.hub.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.dicom.render.ImageRenderer;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.EncodedImages;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end: a study stowed into a real node process is retrieved through the hub (in this JVM)
 * byte for byte, its metadata points at the hub, frames come through, and when the node dies the
 * hub names the site.
 */
@QuarkusTest
@TestProfile(RealNodeProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederatedRetrieveIT {

  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

  @TestHTTPResource("/")
  URL hub;

  @jakarta.inject.Inject io.ponte.hub.oversight.NodeReachability reachability;

  String study;
  String series;
  List<Path> files = new ArrayList<>();
  List<String> digests = new ArrayList<>();
  String frameSop;
  byte[] frame2;
  String jlsSeries;
  String jlsSop;
  Path jls;
  String timelineUrl;
  WebSignIn timelineBrowser;

  /** Once, before the first test (RestAssured points at the hub only from @BeforeEach on). */
  @BeforeEach
  void stowIntoTheNodeAndPublishToTheHub() throws Exception {
    if (study != null) {
      return;
    }
    Path dir = Files.createTempDirectory(Paths.get("target"), "federated-");
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    for (int i = 0; i < 4; i++) {
      Path f =
          DicomTestFiles.ct(
              dir, study, series, DicomTestFiles.newUid(), 256 * 1024 + 2 * i, 70 + i);
      files.add(f);
      digests.add(DicomTestFiles.sha256(f));
    }
    frameSop = DicomTestFiles.newUid();
    int rows = 64;
    int cols = 64;
    String dump =
        "(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7.3]\n(0008,0018) UI ["
            + frameSop
            + "]\n"
            + "(0008,0060) CS [OT]\n(0010,0020) LO [IT]\n(0020,000d) UI ["
            + study
            + "]\n(0020,000e) UI ["
            + DicomTestFiles.newUid()
            + "]\n(0028,0002) US 1\n(0028,0004) CS [MONOCHROME2]\n(0028,0008) IS [3]\n"
            + "(0028,0010) US "
            + rows
            + "\n(0028,0011) US "
            + cols
            + "\n(0028,0100) US 16\n(0028,0101) US 16\n"
            + "(0028,0102) US 15\n(0028,0103) US 0\n(7fe0,0010) OW ="
            + dir.resolve("px.raw").toAbsolutePath()
            + "\n";
    byte[] pixels = new byte[rows * cols * 2 * 3];
    new java.util.Random(5).nextBytes(pixels);
    Files.write(dir.resolve("px.raw"), pixels);
    frame2 = java.util.Arrays.copyOfRange(pixels, rows * cols * 2, rows * cols * 4);
    Files.writeString(dir.resolve("mf.dump"), dump);
    DicomTestFiles.run(
        "dump2dcm", "+te", dir.resolve("mf.dump").toString(), dir.resolve("mf.dcm").toString());
    files.add(dir.resolve("mf.dcm"));
    digests.add(DicomTestFiles.sha256(dir.resolve("mf.dcm")));

    jlsSeries = DicomTestFiles.newUid();
    Path bulk =
        EncodedImages.withBulkData(
            dir.resolve("bulk"), study, jlsSeries, DicomTestFiles.newUid(), 3, 9);
    jls = EncodedImages.converted(bulk, dir.resolve("jls.dcm"), "dcmcjpls");
    jlsSop = EncodedImages.dataset(jls).getString(io.ponte.dicom.Tag.SOPInstanceUID);
    files.add(jls);
    digests.add(DicomTestFiles.sha256(jls));

    stowAndPublish(study, files);
  }

  /** STOW-RS of {@code files} into the hospital-a node, then the study published to the hub. */
  static void stowAndPublish(String study, List<Path> files) throws Exception {
    stowAndPublish(study, files, FhirStudies.mrn());
  }

  /** As {@link #stowAndPublish(String, List)}, for the patient with hospital-a's {@code mrn}. */
  static void stowAndPublish(String study, List<Path> files, String mrn) throws Exception {
    stowAndPublish(RealNodeResource.node.baseUrl(), study, files, mrn);
  }

  /** As {@link #stowAndPublish(String, List, String)}, into the hospital-a node at {@code node}. */
  static void stowAndPublish(String node, String study, List<Path> files, String mrn)
      throws Exception {
    DicomTestFiles.Multipart body = DicomTestFiles.multipartOfFiles(files);
    given()
        .baseUri(node)
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);
    HubFhir.published("ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn).uid(study));
  }

  @Test
  @Order(1)
  void retrievesTheStudyThroughTheHubByteForByte() throws Exception {
    Response viaHub =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept(DICOM_ANY)
            .get("/dicomweb/studies/" + study);
    viaHub.then().statusCode(200);
    List<String> hubDigests = partDigests(viaHub);
    assertThat(hubDigests).containsExactlyInAnyOrderElementsOf(digests);

    Response direct =
        given()
            .baseUri(RealNodeResource.node.baseUrl())
            .auth()
            .oauth2(Tokens.client("ponte-hub"))
            .accept(DICOM_ANY)
            .get("/dicomweb/studies/" + study);
    direct.then().statusCode(200);
    assertThat(partDigests(direct)).containsExactlyElementsOf(hubDigests);
  }

  @Test
  @Order(2)
  void pointsMetadataAtTheHubAndServesFramesThroughIt() throws Exception {
    Response md =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .get("/dicomweb/studies/" + study + "/metadata");
    md.then().statusCode(200).contentType("application/dicom+json");
    String bulk =
        md.path("find { it.'00080018'.Value[0] == '" + frameSop + "' }.'7FE00010'.BulkDataURI");
    assertThat(bulk)
        .startsWith("https://hub.example/dicomweb/studies/" + study)
        .endsWith("/frames/1,2,3")
        .doesNotContain(RealNodeResource.node.baseUrl());
    String path =
        bulk.substring("https://hub.example".length()).replace("/frames/1,2,3", "/frames/2");
    Response frames =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept("multipart/related; type=\"application/octet-stream\"")
            .get(path);
    frames.then().statusCode(200);
    byte[] body = frames.asByteArray();
    assertThat(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains(new String(frame2, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  @Order(3)
  void rendersFramesAndThumbnailsAtTheNodeAndPassesThePictureOn() throws Exception {
    String frameSeries =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .get("/dicomweb/studies/" + study + "/metadata")
            .path("find { it.'00080018'.Value[0] == '" + frameSop + "' }.'0020000E'.Value[0]");
    String frame =
        "/dicomweb/studies/"
            + study
            + "/series/"
            + frameSeries
            + "/instances/"
            + frameSop
            + "/frames/2/rendered";
    Response viaHub =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept("image/png")
            .queryParam("window", "32768,65536")
            .queryParam("viewport", "32,32")
            .get(frame);
    viaHub.then().statusCode(200).contentType("image/png");
    Response direct =
        given()
            .baseUri(RealNodeResource.node.baseUrl())
            .auth()
            .oauth2(Tokens.client("ponte-hub"))
            .accept("image/png")
            .get(frame + "?window=32768,65536&viewport=32,32");
    assertThat(viaHub.asByteArray()).isEqualTo(direct.asByteArray());
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(viaHub.asByteArray()));
    assertThat(image.getWidth()).isEqualTo(32);

    Response thumbnail =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .get("/dicomweb/studies/" + study + "/thumbnail");
    thumbnail.then().statusCode(200).contentType("image/jpeg");
    // checked at the hub: never forwarded as given
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("window", "1,1;drop")
        .get(frame)
        .then()
        .statusCode(400);
    // the authority sees counts, never pictures
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/dicomweb/studies/" + study + "/thumbnail")
        .then()
        .statusCode(403);
  }

  @Test
  @Order(3)
  void theClinicianTimelineShowsTheNodesThumbnailNotThePlaceholder() throws Exception {
    // The page asks the same WADO service in-process; the node's picture must reach the timeline,
    // not the grey placeholder kept for unreachable sites and refusals. One plain CT: a study the
    // node can draw.
    String ct = DicomTestFiles.newUid();
    Path file = smallCt(ct, "thumbnail-", 11);
    stowAndPublish(ct, List.of(file));
    byte[] viaDicomweb =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .queryParam("viewport", "128,128")
            .get("/dicomweb/studies/" + ct + "/thumbnail")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    ByteArrayOutputStream placeholder = new ByteArrayOutputStream();
    ImageRenderer.write(ImageRenderer.placeholder(128), "image/jpeg", placeholder);
    assertThat(viaDicomweb).isNotEqualTo(placeholder.toByteArray());

    String page = hub.toString().replaceAll("/$", "") + "/clinician/studies/" + ct + "/thumbnail";
    WebSignIn ana = WebSignIn.signIn(page, "ana.clinic").browser();
    HttpResponse<byte[]> onTimeline = ana.getBytes(page);
    assertThat(onTimeline.statusCode()).isEqualTo(200);
    assertThat(onTimeline.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(onTimeline.body()).isEqualTo(viaDicomweb);
  }

  @Test
  @Order(3)
  void theClinicianTimelineAsksTheNodeWhetherTheStudyIsOnline() throws Exception {
    String mrn = FhirStudies.mrn();
    String ct = DicomTestFiles.newUid();
    Path file = smallCt(ct, "availability-", 12);
    stowAndPublish(ct, List.of(file), mrn);
    String base = hub.toString().replaceAll("/$", "");
    WebSignIn ana = WebSignIn.signIn(base + "/?identifier=" + mrn, "ana.clinic").browser();
    java.util.regex.Matcher person =
        java.util.regex.Pattern.compile("href=\"(/clinician/patients/[^\"]+)\"")
            .matcher(ana.get(base + "/?identifier=" + mrn, Map.of()).body());
    assertThat(person.find()).as("the patient found by the MRN").isTrue();

    timelineUrl = base + person.group(1);
    timelineBrowser = ana;
    String timeline = ana.get(timelineUrl, Map.of("Accept-Language", "en")).body();

    // The node (a real process) answered for its study: online, with its picture.
    assertThat(timeline)
        .contains("data-state=\"ONLINE\"", "src=\"/clinician/studies/" + ct + "/thumbnail\"")
        .doesNotContain("SITE_UNREACHABLE", "data-state=\"UNKNOWN\"");
  }

  @Test
  @Order(3)
  void servesBulkDataAndCompressedFramesThroughTheHub() throws Exception {
    String instance =
        "/dicomweb/studies/" + study + "/series/" + jlsSeries + "/instances/" + jlsSop;
    Response md = given().auth().oauth2(Tokens.user("ana.clinic")).get(instance + "/metadata");
    md.then().statusCode(200);
    String icc = md.path("[0].'00282000'.BulkDataURI");
    assertThat(icc)
        .isEqualTo("https://hub.example" + instance + "/bulkdata/00282000")
        .doesNotContain(RealNodeResource.node.baseUrl());
    Response bulk =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")
            .get(instance + "/bulkdata/00282000");
    bulk.then().statusCode(200).contentType(containsString("application/octet-stream"));
    assertThat(
            io.ponte.node.dicomweb.MultipartPartsAccess.parse(
                bulk.contentType(), bulk.asByteArray()))
        .singleElement()
        .isEqualTo(EncodedImages.dataset(jls).getBytes(0x00282000));

    // compressed frames: passed through as stored, media type and syntax named in the part
    Response frame =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .accept("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")
            .get(instance + "/frames/2");
    frame.then().statusCode(200).contentType(containsString("type=\"image/jls\""));
    assertThat(new String(frame.asByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("Content-Type: image/jls; transfer-syntax=1.2.840.10008.1.2.4.80");
    assertThat(
            io.ponte.node.dicomweb.MultipartPartsAccess.parse(
                frame.contentType(), frame.asByteArray()))
        .singleElement()
        .isEqualTo(EncodedImages.fragments(jls).get(1));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .accept("multipart/related; type=\"application/octet-stream\"")
        .get(instance + "/frames/2")
        .then()
        .statusCode(406)
        .contentType("application/problem+json")
        .body("code", startsWith("ponte:not-acceptable"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .accept("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")
        .get(instance + "/frames/4")
        .then()
        .statusCode(404);
  }

  @Test
  @Order(3)
  void refusesBulkDataToWhoMayNotSeeItAndAnswersBadPaths() {
    String instance =
        "/dicomweb/studies/" + study + "/series/" + jlsSeries + "/instances/" + jlsSop;
    // the authority sees counts, never data; a patient only their own studies
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get(instance + "/bulkdata/00282000")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(Tokens.user("maria.patient"))
        .get(instance + "/bulkdata/00282000")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given().get(instance + "/bulkdata/00282000").then().statusCode(401);
    // unknown tag path and unknown instance: the node's 404, naming the site
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get(instance + "/bulkdata/00282002")
        .then()
        .statusCode(404)
        .body("site", equalTo("hospital-a"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get(
            "/dicomweb/studies/"
                + study
                + "/series/"
                + jlsSeries
                + "/instances/"
                + DicomTestFiles.newUid()
                + "/bulkdata/00282000")
        .then()
        .statusCode(404);
    // malformed: refused at the hub, never forwarded
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get(instance + "/bulkdata/0028200Z")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get(
            "/dicomweb/studies/"
                + study
                + "/series/"
                + jlsSeries
                + "/instances/1..2/bulkdata/00282000")
        .then()
        .statusCode(400);
  }

  @Test
  @Order(3)
  void passesTheNodesNotFoundAndRefusalsOn() {
    // registered at the hub but not held by the node: the node's 404 stays 404, naming the site
    String ghost = FhirStudies.uid();
    HubFhir.published(
        "ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()).uid(ghost));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/dicomweb/studies/" + ghost)
        .then()
        .statusCode(404)
        .body("site", equalTo("hospital-a"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .accept(
            "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(406)
        .body("code", startsWith("ponte:not-acceptable"));
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(403);
  }

  @Test
  @Order(4)
  void namesTheSiteWhenItsNodeGoesDown() {
    String base = hub.toString().replaceAll("/$", "");
    WebSignIn rita =
        WebSignIn.signIn(base + "/authority/site-status.csv", "rita.authority").browser();
    // The hub's background check, run now rather than waited for.
    reachability.check();
    assertThat(siteStatus(rita, base)).as("the node process answers").endsWith(",reachable");
    RealNodeResource.node.close();
    reachability.check();
    assertThat(siteStatus(rita, base)).as("its node is gone").endsWith(",unreachable");
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("site", equalTo("hospital-a"))
        .body("code", equalTo("ponte:site-unavailable"));
    // QIDO is answered by the registry and keeps working
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("StudyInstanceUID", study)
        .get("/dicomweb/studies")
        .then()
        .statusCode(200);
    // and the timeline still lists the site's studies, saying the site cannot be reached
    assertThat(timelineUrl).as("the timeline test ran first").isNotNull();
    assertThat(timelineBrowser.get(timelineUrl, Map.of("Accept-Language", "en")).body())
        .contains("data-state=\"SITE_UNREACHABLE\"", "Site unreachable")
        .doesNotContain("data-state=\"ONLINE\"");
  }

  /** hospital-a's row of the authority's site table (CSV: site,studies,…,node). */
  private static String siteStatus(WebSignIn authority, String base) {
    return authority
        .get(base + "/authority/site-status.csv", Map.of())
        .body()
        .lines()
        .filter(l -> l.startsWith("hospital-a,"))
        .findFirst()
        .orElse("");
  }

  /** A one-instance 64×64 CT study {@code ct} the node can draw, written under target/. */
  private static Path smallCt(String ct, String dir, long seed) throws Exception {
    return DicomTestFiles.ct(
        Files.createTempDirectory(Paths.get("target"), dir),
        ct,
        DicomTestFiles.newUid(),
        DicomTestFiles.newUid(),
        64 * 64 * 2,
        seed);
  }

  private static List<String> partDigests(Response r) {
    return io.ponte.node.dicomweb.MultipartPartsAccess.parse(r.contentType(), r.asByteArray())
        .stream()
        .map(DicomTestFiles::sha256)
        .toList();
  }
}
