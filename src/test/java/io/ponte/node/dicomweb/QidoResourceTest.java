package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class QidoResourceTest {

  @Inject
  @DataSource("node")
  AgroalDataSource ds;

  // A fresh UID root and patient ids per test, so that runs never see each other's rows.
  String root;
  String s1;
  String s2;
  String s3;
  String p1;
  String p2;
  String name;

  @BeforeEach
  void index() throws Exception {
    long run = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    root = "2.25.77" + run + ".";
    s1 = root + "1";
    s2 = root + "2";
    s3 = root + "3";
    p1 = "Q1-" + run;
    p2 = "Q2-" + run;
    name = "Smith" + run;
    IndexRows rows = new IndexRows(ds);
    rows.study(s1, p1, name + "^John", "20240115", "101500", "ACC1-" + run, "CT chest");
    rows.series(s1, s1 + ".1", "CT", 1);
    rows.series(s1, s1 + ".2", "MR", 2);
    for (int i = 3; i >= 1; i--) {
      rows.instance(
          s1,
          s1 + ".1",
          s1 + ".1." + i,
          i,
          "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL\",\"PRIMARY\"]},"
              + "\"00180050\":{\"vr\":\"DS\",\"Value\":[1.25]}}");
    }
    rows.instance(s1, s1 + ".2", s1 + ".2.1", 1, "{}");
    rows.study(s2, p1, name + "^John", "20240301", "080000", "ACC2-" + run, "MR head");
    rows.series(s2, s2 + ".1", "MR", 1);
    rows.instance(s2, s2 + ".1", s2 + ".1.1", 1, "{}");
    rows.instance(s2, s2 + ".1", s2 + ".1.2", 2, "{}");
    rows.study(
        s3, p2, "Jones" + run + "^Mary=ジョーンズ^メアリー", "20230610", "230000", "ACC_3-" + run, "US");
    rows.series(s3, s3 + ".1", "US", 1);
    rows.instance(s3, s3 + ".1", s3 + ".1.1", 1, "{}");
  }

  @AfterEach
  void clean() throws Exception {
    new IndexRows(ds).deleteStudies(root);
  }

  private static RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }

  @Nested
  @DisplayName("as the hub")
  class AsHub {

    @Test
    void findsStudiesByPatientIdNewestFirstWithCountsAndModalities() {
      asHub()
          .queryParam("PatientID", p1)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .contentType("application/dicom+json")
          .body("$", hasSize(2))
          .body("[0].'0020000D'.Value[0]", equalTo(s2))
          .body("[1].'0020000D'.Value[0]", equalTo(s1))
          .body("[1].'00080061'.Value", contains("CT", "MR"))
          .body("[1].'00201206'.Value[0]", equalTo(2))
          .body("[1].'00201208'.Value[0]", equalTo(4))
          .body("[1].'00100010'.Value[0].Alphabetic", equalTo(name + "^John"))
          .body("[1].'00080020'.Value[0]", equalTo("20240115"))
          .body("[1].'00081190'.Value[0]", endsWith("/dicomweb/studies/" + s1));
    }

    @Test
    void answersAnEmptyArrayWhenNothingMatches() {
      asHub()
          .queryParam("PatientID", "nobody-" + root)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void matchesStudyDateRanges() {
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("StudyDate", "20240101-20240201")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s1));
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("StudyDate", "20240201-")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s2));
      asHub()
          .queryParam("PatientID", p2)
          .queryParam("StudyDate", "-20231231")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s3));
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("StudyDate", "20240301")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s2));
    }

    @Test
    void matchesPatientNameWithWildcardsIgnoringCase() {
      asHub()
          .queryParam("PatientName", name.toLowerCase() + "*")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s2, s1));
      asHub()
          .queryParam("PatientName", name + "^J?hn")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", hasSize(2));
      asHub()
          .queryParam("PatientName", name)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void matchesNameWordsFuzzilyWhenAsked() {
      asHub()
          .queryParam("PatientName", "john " + name.substring(0, 8).toLowerCase())
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s2, s1));
      asHub()
          .queryParam("PatientName", "mary " + name.substring(0, 8))
          .queryParam("fuzzymatching", "true")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void returnsAllPersonNameGroups() {
      asHub()
          .queryParam("PatientID", p2)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("[0].'00100010'.Value[0].Ideographic", equalTo("ジョーンズ^メアリー"));
    }

    @Test
    void matchesAccessionModalitiesAndUidLists() {
      asHub()
          .queryParam("AccessionNumber", "ACC_3-*")
          .queryParam("PatientID", p2)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s3));
      // '_' is a literal, not a LIKE wildcard
      asHub()
          .queryParam("AccessionNumber", "ACC_1-*")
          .queryParam("PatientID", p1)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("ModalitiesInStudy", "CT")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s1));
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("ModalitiesInStudy", "MR")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", hasSize(2));
      asHub()
          .queryParam("StudyInstanceUID", s1 + "," + s3)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s1, s3));
      asHub()
          .queryParam("0020000D", s3 + "\\" + s2)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", hasSize(2));
    }

    @Test
    void pagesWithLimitAndOffset() {
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("limit", "1")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s2));
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("limit", "1")
          .queryParam("offset", "1")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(s1));
    }

    @Test
    void listsTheSeriesOfAStudy() {
      asHub()
          .get("/dicomweb/studies/" + s1 + "/series")
          .then()
          .statusCode(200)
          .body("'0020000E'.Value.flatten()", contains(s1 + ".1", s1 + ".2"))
          .body("'00080060'.Value.flatten()", contains("CT", "MR"))
          .body("'00201209'.Value.flatten()", contains(3, 1))
          .body("[0].'00081190'.Value[0]", endsWith("/studies/" + s1 + "/series/" + s1 + ".1"));
      asHub()
          .queryParam("Modality", "MR")
          .get("/dicomweb/studies/" + s1 + "/series")
          .then()
          .statusCode(200)
          .body("'0020000E'.Value.flatten()", contains(s1 + ".2"));
    }

    @Test
    void listsSeriesAcrossStudiesWithTheirStudyAttributes() {
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("Modality", "MR")
          .get("/dicomweb/series")
          .then()
          .statusCode(200)
          .body("'0020000E'.Value.flatten()", contains(s1 + ".2", s2 + ".1"))
          .body("[0].'00100020'.Value[0]", equalTo(p1));
    }

    @Test
    void listsInstancesInInstanceNumberOrder() {
      asHub()
          .get("/dicomweb/studies/" + s1 + "/series/" + s1 + ".1/instances")
          .then()
          .statusCode(200)
          .body("'00080018'.Value.flatten()", contains(s1 + ".1.1", s1 + ".1.2", s1 + ".1.3"))
          .body("[0].'00080016'.Value[0]", equalTo("1.2.840.10008.5.1.4.1.1.2"))
          .body("[0].'00280010'.Value[0]", equalTo(64))
          .body("[0].'00100020'", nullValue());
      asHub()
          .get("/dicomweb/studies/" + s1 + "/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(4));
      asHub()
          .queryParam("SOPInstanceUID", s3 + ".1.1")
          .get("/dicomweb/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(1))
          .body("[0].'00100020'.Value[0]", equalTo(p2))
          .body("[0].'00080060'.Value[0]", equalTo("US"));
    }

    @Test
    void includesFieldsFromTheStoredMetadata() {
      asHub()
          .queryParam("includefield", "SliceThickness")
          .get("/dicomweb/studies/" + s1 + "/series/" + s1 + ".1/instances")
          .then()
          .statusCode(200)
          .body("[0].'00180050'.Value[0]", equalTo(1.25f))
          .body("[0].'00080008'", nullValue());
      asHub()
          .queryParam("includefield", "all")
          .get("/dicomweb/studies/" + s1 + "/series/" + s1 + ".1/instances")
          .then()
          .statusCode(200)
          .body("[0].'00080008'.Value", contains("ORIGINAL", "PRIMARY"));
      asHub()
          .queryParam("includefield", "00180050")
          .get("/dicomweb/studies/" + s1 + "/series")
          .then()
          .statusCode(200)
          .body("[0].'00180050'.Value[0]", equalTo(1.25f));
    }

    @Test
    void ignoresUnsupportedMatchingKeysWithAWarning() {
      asHub()
          .queryParam("PatientID", p1)
          .queryParam("BodyPartExamined", "CHEST")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .header("Warning", containsString("BodyPartExamined"))
          .body("$", hasSize(2));
    }
  }

  @Nested
  @DisplayName("bad requests")
  class BadRequests {

    @Test
    void refusesAnInvalidUidInThePath() {
      asHub()
          .get("/dicomweb/studies/1.2.03/series")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("ponte:invalid-uid"));
      asHub()
          .get("/dicomweb/studies/" + "1.2.3/series/abc/instances")
          .then()
          .statusCode(400)
          .body("code", equalTo("ponte:invalid-uid"));
    }

    @Test
    void refusesInvalidUidsInAList() {
      asHub()
          .queryParam("StudyInstanceUID", s1 + ",1..2")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .body("code", equalTo("ponte:invalid-uid"));
    }

    @Test
    void refusesImpossibleDatesAndReversedRanges() {
      asHub()
          .queryParam("StudyDate", "20241301")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("ponte:bad-request"));
      asHub()
          .queryParam("StudyDate", "20240301-20240101")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .body("detail", containsString("range"));
      asHub().queryParam("StudyDate", "2024-03-01").get("/dicomweb/studies").then().statusCode(400);
    }

    @Test
    void refusesBadPagingAndUnknownParameters() {
      asHub().queryParam("limit", "ten").get("/dicomweb/studies").then().statusCode(400);
      asHub().queryParam("offset", "-1").get("/dicomweb/studies").then().statusCode(400);
      asHub()
          .queryParam("NoSuchKeyword", "1")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .body("detail", containsString("NoSuchKeyword"));
      asHub().queryParam("SOPInstanceUID", s1).get("/dicomweb/studies").then().statusCode(400);
    }
  }

  @Nested
  @DisplayName("anyone but the hub")
  class Denials {

    @Test
    void refusesAnonymousCallers() {
      given()
          .get("/dicomweb/studies")
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }

    @Test
    void refusesClinicians() {
      // Tokens meant for the hub (aud ponte-hub) are not signed in at a node at all: 401, not 403.
      given()
          .auth()
          .oauth2(Tokens.user("ana.clinic"))
          .get("/dicomweb/studies")
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }

    @Test
    void refusesNodesIncludingItsOwnSite() {
      // Tokens meant for the hub (aud ponte-hub) are not signed in at a node at all: 401, not 403.
      given()
          .auth()
          .oauth2(Tokens.client("ponte-node-hospital-a"))
          .get("/dicomweb/studies")
          .then()
          .statusCode(401);
    }

    @Test
    void refusesIngestClients() {
      given()
          .auth()
          .oauth2(Tokens.client("hospital-a-ingest"))
          .get("/dicomweb/studies/" + s1 + "/series")
          .then()
          .statusCode(403);
    }
  }
}
