package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.CacheIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.CacheEvictor;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class WadoResourceTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");
  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
  private static final String FRAMES =
      "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

  @Inject InstanceStore store;

  @Inject BlobUploadWorker uploads;

  @Inject CacheEvictor evictor;

  @Inject CacheIndex index;

  @Inject
  @DataSource("node")
  AgroalDataSource ds;

  Path dir;
  String study;
  String ctSeries;
  String frameSeries;

  /** SOP Instance UID -> SHA-256 of the file as ingested. */
  Map<String, String> ct = new TreeMap<>();

  Frames.Image gray;
  Frames.Image rgb;
  Frames.Image implicit;

  @BeforeEach
  void ingest() throws Exception {
    dir = Files.createTempDirectory(Paths.get("target"), "wado-");
    study = DicomTestFiles.newUid();
    ctSeries = DicomTestFiles.newUid();
    frameSeries = DicomTestFiles.newUid();
    for (int i = 0; i < 3; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(dir, study, ctSeries, sop, 64 * 1024 + 2 * i, 40 + i);
      ct.put(sop, DicomTestFiles.sha256(file));
      ingest(file);
    }
    gray =
        Frames.multiFrame(
            dir, study, frameSeries, DicomTestFiles.newUid(), 32, 48, 5, 1, 16, false, 11);
    rgb =
        Frames.multiFrame(
            dir, study, frameSeries, DicomTestFiles.newUid(), 16, 16, 3, 3, 8, false, 12);
    implicit =
        Frames.multiFrame(
            dir, study, frameSeries, DicomTestFiles.newUid(), 20, 20, 4, 1, 16, true, 13);
    ingest(gray.file());
    ingest(rgb.file());
    ingest(implicit.file());
  }

  private void ingest(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(SOURCE, in);
    }
  }

  /**
   * Uploads what is pending now (waiting for a background run in progress), so that no upload
   * rewrites the instance rows while a test reads their versions.
   */
  private void uploadEverythingPending() throws Exception {
    while (uploads.uploadDue() > 0) {
      // until a run finds nothing due
    }
  }

  private static RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }

  private static String sopOf(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - ".dcm".length());
  }

  private static List<MultipartParts.Part> parts(Response r) {
    return MultipartParts.parse(r.contentType(), r.asByteArray());
  }

  @Nested
  @DisplayName("retrieving instances")
  class Instances {

    @Test
    void retrievesTheStudyAsMultipartWithTheStoredBytes() throws Exception {
      Response r = asHub().accept(DICOM_ANY).get("/dicomweb/studies/" + study);
      r.then()
          .statusCode(200)
          .contentType(containsString("multipart/related"))
          .contentType(containsString("type=\"application/dicom\""));
      List<MultipartParts.Part> parts = parts(r);
      assertThat(parts).hasSize(6);
      assertThat(Long.parseLong(r.header("Content-Length"))).isEqualTo(r.asByteArray().length);
      List<String> digests = parts.stream().map(p -> DicomTestFiles.sha256(p.body())).toList();
      assertThat(digests).containsAll(ct.values());
      assertThat(digests)
          .contains(DicomTestFiles.sha256(gray.file()), DicomTestFiles.sha256(implicit.file()));
      assertThat(parts.get(0).headers().get("content-type"))
          .startsWith("application/dicom; transfer-syntax=1.2.840.10008.1.2");
    }

    @Test
    void retrievesOneSeriesAndOneInstance() throws Exception {
      List<MultipartParts.Part> series =
          parts(asHub().get("/dicomweb/studies/" + study + "/series/" + ctSeries));
      assertThat(series.stream().map(p -> DicomTestFiles.sha256(p.body())).toList())
          .containsExactlyInAnyOrderElementsOf(ct.values());
      String sop = ct.keySet().iterator().next();
      Response one =
          asHub()
              .accept(DICOM_ANY)
              .get("/dicomweb/studies/" + study + "/series/" + ctSeries + "/instances/" + sop);
      one.then().statusCode(200);
      assertThat(parts(one))
          .singleElement()
          .satisfies(p -> assertThat(DicomTestFiles.sha256(p.body())).isEqualTo(ct.get(sop)));
    }

    @Test
    void streamsFromBlobOnceEvictedFromTheCache() throws Exception {
      // so that eviction may drop the cached copies
      uploadEverythingPending();
      evictor.evictTo(0);
      Response r =
          asHub().accept(DICOM_ANY).get("/dicomweb/studies/" + study + "/series/" + ctSeries);
      r.then().statusCode(200);
      assertThat(parts(r).stream().map(p -> DicomTestFiles.sha256(p.body())).toList())
          .containsExactlyInAnyOrderElementsOf(ct.values());
      // frames come by range read from Blob too
      Response f = asHub().accept(FRAMES).get(framesUrl(gray, "2"));
      f.then().statusCode(200);
      assertThat(parts(f).get(0).body()).isEqualTo(gray.frame(2));
    }

    @Test
    void servesTheStoredTransferSyntaxWhenAskedForIt() {
      asHub()
          .accept(
              "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1")
          .get("/dicomweb/studies/" + study + "/series/" + ctSeries)
          .then()
          .statusCode(200);
    }

    @Test
    void refusesToTranscode() {
      asHub()
          .accept(
              "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")
          .get("/dicomweb/studies/" + study)
          .then()
          .statusCode(406)
          .contentType("application/problem+json")
          .body("code", equalTo("ponte:not-acceptable"))
          .body("detail", containsString("transcode"));
      asHub().accept("application/json").get("/dicomweb/studies/" + study).then().statusCode(406);
    }

    @Test
    void answersNotFoundForUnknownUidsAndBadRequestForInvalidOnes() {
      asHub()
          .get("/dicomweb/studies/" + DicomTestFiles.newUid())
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("code", equalTo("ponte:not-found"));
      asHub()
          .get("/dicomweb/studies/" + study + "/series/" + DicomTestFiles.newUid())
          .then()
          .statusCode(404);
      asHub()
          .get("/dicomweb/studies/" + study + "/series/" + ctSeries + "/instances/1.2.3.x")
          .then()
          .statusCode(400)
          .body("code", equalTo("ponte:invalid-uid"));
      asHub().get("/dicomweb/studies/..%2F..%2Fetc").then().statusCode(400);
    }
  }

  @Nested
  @DisplayName("metadata")
  class Metadata {

    @Test
    void listsEveryInstanceOfTheStudyWithPixelDataAsBulkDataUri() {
      asHub()
          .get("/dicomweb/studies/" + study + "/metadata")
          .then()
          .statusCode(200)
          .contentType("application/dicom+json")
          .body("$", hasSize(6))
          .body(
              "find { it.'00080018'.Value[0] == '"
                  + sopOf(gray.file())
                  + "' }.'7FE00010'.BulkDataURI",
              endsWith(
                  "/dicomweb/studies/"
                      + study
                      + "/series/"
                      + frameSeries
                      + "/instances/"
                      + sopOf(gray.file())
                      + "/frames/1,2,3,4,5"));
    }

    @Test
    void narrowsToASeriesAndAnInstance() {
      asHub()
          .get("/dicomweb/studies/" + study + "/series/" + ctSeries + "/metadata")
          .then()
          .statusCode(200)
          .body("$", hasSize(3))
          .body("'0020000E'.Value.flatten().unique()", hasSize(1));
      String sop = ct.keySet().iterator().next();
      asHub()
          .get(
              "/dicomweb/studies/"
                  + study
                  + "/series/"
                  + ctSeries
                  + "/instances/"
                  + sop
                  + "/metadata")
          .then()
          .statusCode(200)
          .body("$", hasSize(1))
          .body("[0].'00080018'.Value[0]", equalTo(sop))
          .body("[0].'00100020'.Value[0]", org.hamcrest.Matchers.startsWith("PAT-4"));
    }

    @Test
    void answersNotFoundForAnUnknownStudy() {
      asHub()
          .get("/dicomweb/studies/" + DicomTestFiles.newUid() + "/metadata")
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
  }

  @Nested
  @DisplayName("frames")
  class FrameRetrieval {

    @Test
    void returnsTheRequestedFramesOf16BitGrayscale() {
      Response r = asHub().accept(FRAMES).get(framesUrl(gray, "2,5,1"));
      r.then().statusCode(200).contentType(containsString("type=\"application/octet-stream\""));
      List<MultipartParts.Part> parts = parts(r);
      assertThat(parts).hasSize(3);
      assertThat(parts.get(0).body()).isEqualTo(gray.frame(2));
      assertThat(parts.get(1).body()).isEqualTo(gray.frame(5));
      assertThat(parts.get(2).body()).isEqualTo(gray.frame(1));
      assertThat(parts.get(0).headers().get("content-type")).startsWith("application/octet-stream");
    }

    @Test
    void returnsFramesOfRgbAndOfImplicitVrFiles() {
      assertThat(parts(asHub().get(framesUrl(rgb, "3"))).get(0).body()).isEqualTo(rgb.frame(3));
      assertThat(parts(asHub().accept("*/*").get(framesUrl(implicit, "4,1"))))
          .extracting(MultipartParts.Part::body)
          .containsExactly(implicit.frame(4), implicit.frame(1));
    }

    @Test
    void refusesFramesThatDoNotExistOrCannotBeNumbers() {
      asHub()
          .get(framesUrl(gray, "6"))
          .then()
          .statusCode(404)
          .body("detail", containsString("has 5"));
      asHub().get(framesUrl(gray, "0")).then().statusCode(400);
      asHub()
          .get(framesUrl(gray, "1,x"))
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      asHub().accept("image/jpeg").get(framesUrl(gray, "1")).then().statusCode(406);
    }

    @Test
    void passesFramesOfCompressedInstancesThroughAndRefusesToDecompress() throws Exception {
      String series = DicomTestFiles.newUid();
      String sop = DicomTestFiles.newUid();
      ingest(DicomTestFiles.sample("JPEG2000.dcm", dir, study, series, sop));
      String frame =
          "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/1";
      Response r = asHub().accept(FRAMES).get(frame);
      r.then().statusCode(200).contentType(containsString("type=\"image/jp2\""));
      assertThat(parts(r).get(0).headers().get("content-type"))
          .startsWith("image/jp2; transfer-syntax=1.2.840.10008.1.2.4.9");
      asHub()
          .accept("multipart/related; type=\"application/octet-stream\"")
          .get(frame)
          .then()
          .statusCode(406)
          .contentType("application/problem+json")
          .body("detail", containsString("transfer-syntax=*"));
    }
  }

  @Nested
  @DisplayName("access times for eviction")
  class AccessTimes {

    private static final String LONG_AGO = "2000-01-01T00:00:00Z";

    @Test
    void aSeriesRetrieveMarksItsInstancesInOneStatementAndNothingElse() throws Exception {
      uploadEverythingPending();
      setAccessed(study, LONG_AGO);
      asHub()
          .accept(DICOM_ANY)
          .get("/dicomweb/studies/" + study + "/series/" + ctSeries)
          .then()
          .statusCode(200);

      List<Row> series = rows("series_instance_uid", ctSeries);
      assertThat(series)
          .hasSize(3)
          .allSatisfy(r -> assertThat(r.accessed()).isAfter(Instant.now().minusSeconds(60)));
      // one UPDATE for the request, not one per instance served: every row carries the same
      // transaction
      assertThat(series.stream().map(Row::xmin).distinct()).hasSize(1);
      assertThat(rows("series_instance_uid", frameSeries))
          .allSatisfy(r -> assertThat(r.accessed()).isEqualTo(Instant.parse(LONG_AGO)));
    }

    @Test
    void framesMarkTheirInstanceAndARefusedRetrieveMarksNothing() throws Exception {
      setAccessed(study, LONG_AGO);
      asHub()
          .accept(
              "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")
          .get("/dicomweb/studies/" + study)
          .then()
          .statusCode(406);
      assertThat(rows("study_instance_uid", study))
          .allSatisfy(r -> assertThat(r.accessed()).isEqualTo(Instant.parse(LONG_AGO)));

      asHub().accept(FRAMES).get(framesUrl(gray, "1")).then().statusCode(200);
      assertThat(rows("study_instance_uid", study))
          .allSatisfy(
              r ->
                  assertThat(r.accessed())
                      .isEqualTo(
                          r.sop().equals(sopOf(gray.file()))
                              ? r.accessed()
                              : Instant.parse(LONG_AGO)));
      assertThat(rows("sop_instance_uid", sopOf(gray.file())).get(0).accessed())
          .isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void framesReadAgainWithinAMinuteNeitherWriteNorLockTheRowAndAStaleMarkIsWrittenAgain()
        throws Exception {
      String sop = sopOf(gray.file());
      uploadEverythingPending();
      setAccessed(study, LONG_AGO);
      asHub().accept(FRAMES).get(framesUrl(gray, "1")).then().statusCode(200);
      Row marked = rows("sop_instance_uid", sop).get(0);
      String markedXmax = xmax(sop);
      assertThat(marked.accessed()).isAfter(Instant.now().minusSeconds(60));

      // A viewer's next frames of the same instance: the same row version, never locked (a lock
      // would put its transaction in xmax and cost the request a WAL flush).
      asHub().accept(FRAMES).get(framesUrl(gray, "1")).then().statusCode(200);
      asHub().accept(FRAMES).get(framesUrl(gray, "1")).then().statusCode(200);
      assertThat(rows("sop_instance_uid", sop).get(0)).isEqualTo(marked);
      assertThat(xmax(sop)).isEqualTo(markedXmax);

      // A mark older than the granularity (1 minute by default) is written again.
      Instant stale = Instant.now().minusSeconds(90);
      setAccessed(study, stale.toString());
      String staleVersion = rows("sop_instance_uid", sop).get(0).xmin();
      asHub().accept(FRAMES).get(framesUrl(gray, "1")).then().statusCode(200);
      Row again = rows("sop_instance_uid", sop).get(0);
      assertThat(again.accessed()).isAfter(stale.plusSeconds(60));
      assertThat(again.xmin()).isNotEqualTo(staleVersion);
    }

    @Test
    void theEvictorRanksARetrievedStudyAsRecent() throws Exception {
      String other = DicomTestFiles.newUid();
      ingest(
          DicomTestFiles.ct(dir, other, DicomTestFiles.newUid(), DicomTestFiles.newUid(), 4096, 1));
      setAccessed(study, LONG_AGO);
      setAccessed(other, "2010-01-01T00:00:00Z");

      asHub()
          .accept(DICOM_ANY)
          .get("/dicomweb/studies/" + study + "/series/" + ctSeries)
          .then()
          .statusCode(200);

      List<String> leastRecentFirst =
          index.cachedStudiesByAccess(100_000).stream()
              .map(CacheIndex.CachedStudy::studyInstanceUid)
              .toList();
      assertThat(leastRecentFirst).contains(study, other);
      assertThat(leastRecentFirst.indexOf(other)).isLessThan(leastRecentFirst.indexOf(study));
    }

    private record Row(String sop, Instant accessed, String xmin) {}

    private void setAccessed(String studyUid, String when) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "update instance set last_accessed_at = ?::timestamptz where study_instance_uid = ?")) {
        ps.setString(1, when);
        ps.setString(2, studyUid);
        ps.executeUpdate();
      }
    }

    private String xmax(String sop) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("select xmax::text from instance where sop_instance_uid = ?")) {
        ps.setString(1, sop);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }

    private List<Row> rows(String column, String uid) throws SQLException {
      List<Row> rows = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "select sop_instance_uid, last_accessed_at, xmin::text"
                      + " from instance where "
                      + column
                      + " = ? order by sop_instance_uid")) {
        ps.setString(1, uid);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
          }
        }
      }
      return rows;
    }
  }

  private String framesUrl(Frames.Image image, String frames) {
    return "/dicomweb/studies/"
        + study
        + "/series/"
        + frameSeries
        + "/instances/"
        + sopOf(image.file())
        + "/frames/"
        + frames;
  }

  @Nested
  @DisplayName("anyone but the hub")
  class Denials {

    @Test
    void refusesAnonymousRetrieve() {
      given()
          .get("/dicomweb/studies/" + study)
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }

    @Test
    void refusesClinicianPatientAndNodeTokens() {
      // Tokens meant for the hub (aud ponte-hub) are not signed in at a node at all: 401, not 403.
      given()
          .auth()
          .oauth2(Tokens.user("bruno.hospa"))
          .get("/dicomweb/studies/" + study)
          .then()
          .statusCode(401);
      given()
          .auth()
          .oauth2(Tokens.user("maria.patient"))
          .get("/dicomweb/studies/" + study + "/metadata")
          .then()
          .statusCode(401);
      given()
          .auth()
          .oauth2(Tokens.client("ponte-node-hospital-a"))
          .get(framesUrl(gray, "1"))
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }
  }
}
