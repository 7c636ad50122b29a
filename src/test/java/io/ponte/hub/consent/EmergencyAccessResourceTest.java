package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.FhirStudies;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/emergency-access}: a clinician opens a bounded grant with a stated reason, sees and
 * ends their own; the authority sees and ends all; bad input is problem+json; all audited as
 * emergency.
 */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class EmergencyAccessResourceTest {

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  ConsentFixtures.Maria maria;
  String patient;

  @BeforeEach
  void herStudies() {
    maria = ConsentFixtures.maria();
    patient = FhirStudies.mrnSystem("hospital-b") + "|" + maria.mrnB();
  }

  @org.junit.jupiter.api.AfterEach
  void endEveryGrant() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update emergency_grant set ended_at = now() where ended_at is null")) {
      ps.executeUpdate();
    }
  }

  static Response open(String user, Map<String, Object> body) {
    return as(user).contentType("application/json").body(body).post("/api/emergency-access");
  }

  @Test
  void aClinicianOpensAGrantOfFourHoursByDefault() {
    Response r = open("ana.clinic", Map.of("patient", patient, "reason", "unconscious in A&E"));
    r.then()
        .statusCode(201)
        .header("Location", org.hamcrest.Matchers.containsString("/api/emergency-access/"))
        .body("username", equalTo("ana.clinic"))
        .body("organization", equalTo("clinic-norte"))
        .body("regionalId", equalTo(ConsentFixtures.MARIA))
        .body("active", equalTo(true));
    Instant starts = Instant.parse(r.path("startsAt"));
    Instant ends = Instant.parse(r.path("endsAt"));
    assertThat(Duration.between(starts, ends)).isEqualTo(Duration.ofHours(4));
    Response shorter =
        open(
            "ana.clinic",
            Map.of("patient", patient, "reason", "stroke pathway", "duration", "PT30M"));
    shorter.then().statusCode(201);
    assertThat(
            Duration.between(
                Instant.parse(shorter.path("startsAt")), Instant.parse(shorter.path("endsAt"))))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void refusesBadInputWithProblemJson() {
    for (Map<String, Object> body :
        List.<Map<String, Object>>of(
            Map.of("patient", patient),
            Map.of("patient", patient, "reason", "  "),
            Map.of("patient", patient, "reason", "x", "duration", "PT25H"),
            Map.of("patient", patient, "reason", "x", "duration", "four hours"),
            Map.of("patient", patient, "reason", "x", "duration", "-PT1H"),
            Map.of("patient", "urn:ponte:site:hospital-a:mrn|NO-SUCH", "reason", "x"),
            Map.of("reason", "x"))) {
      open("ana.clinic", body)
          .then()
          .statusCode(400)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:bad-request"));
    }
  }

  @Test
  void aReasonIsCountedAsTheFormsTextAreaCountsIt() {
    // 2,000 characters as the text area counted them, its 9 line breaks sent as CRLF by the form
    String line = "x".repeat(199);
    String typed = String.join("\n", java.util.Collections.nCopies(10, line)) + "y";
    assertThat(typed).hasSize(2000);
    String sent = typed.replace("\n", "\r\n");
    open("ana.clinic", Map.of("patient", patient, "reason", sent))
        .then()
        .statusCode(201)
        .body("reason", equalTo(typed));
    open("ana.clinic", Map.of("patient", patient, "reason", typed + "z"))
        .then()
        .statusCode(400)
        .body("code", equalTo("ponte:bad-request"));
  }

  @Test
  void isForCliniciansOnly() {
    for (String user : List.of("maria.patient", "rita.authority", "ponte.admin")) {
      open(user, Map.of("patient", patient, "reason", "curious"))
          .then()
          .statusCode(403)
          .contentType(startsWith("application/problem+json"));
    }
    io.restassured.RestAssured.given()
        .contentType("application/json")
        .body(Map.of("patient", patient, "reason", "x"))
        .post("/api/emergency-access")
        .then()
        .statusCode(401);
  }

  @Test
  void eachClinicianSeesTheirOwnGrantsAndTheAuthoritySeesAll() {
    String ana = open("ana.clinic", Map.of("patient", patient, "reason", "trauma")).path("id");
    String bruno = open("bruno.hospa", Map.of("patient", patient, "reason", "sepsis")).path("id");
    as("ana.clinic")
        .get("/api/emergency-access")
        .then()
        .statusCode(200)
        .body("id", hasItem(ana))
        .body("id", not(hasItem(bruno)));
    as("rita.authority")
        .queryParam("active", "true")
        .get("/api/emergency-access")
        .then()
        .statusCode(200)
        .body("id", hasItem(ana))
        .body("id", hasItem(bruno));
    as("maria.patient").get("/api/emergency-access").then().statusCode(403);
  }

  @Test
  void aGrantEndsEarlyByItsHolderOrTheAuthorityOnly() {
    String ana = open("ana.clinic", Map.of("patient", patient, "reason", "trauma")).path("id");
    as("bruno.hospa").delete("/api/emergency-access/" + ana).then().statusCode(404);
    as("ana.clinic")
        .delete("/api/emergency-access/" + ana)
        .then()
        .statusCode(200)
        .body("active", equalTo(false))
        .body("endedBy", equalTo("ana.clinic"));
    as("ana.clinic").delete("/api/emergency-access/" + ana).then().statusCode(409);
    String another = open("ana.clinic", Map.of("patient", patient, "reason", "again")).path("id");
    as("rita.authority")
        .delete("/api/emergency-access/" + another)
        .then()
        .statusCode(200)
        .body("endedBy", equalTo("rita.authority"));
  }

  @Test
  void auditsGrantsAndRefusalsAsEmergency() throws Exception {
    String id = open("ana.clinic", Map.of("patient", patient, "reason", "trauma bay 3")).path("id");
    open("maria.patient", Map.of("patient", patient, "reason", "x"));
    as("ana.clinic").delete("/api/emergency-access/" + id).then().statusCode(200);
    List<String> rows = audit();
    assertThat(rows)
        .contains(
            "create success ana.clinic emergency",
            "create denied maria.patient emergency",
            "update success ana.clinic emergency");
    assertThat(details()).anyMatch(d -> d.contains(id) && d.contains("trauma bay 3"));
  }

  private List<String> audit() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select action, outcome, username, purpose from audit_record"
                    + " where resource_type = 'EmergencyAccess' order by seq desc limit 20");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getString(3)
                + " "
                + rs.getString(4));
      }
    }
    return rows;
  }

  private List<String> details() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select detail from audit_record where resource_type = 'EmergencyAccess'"
                    + " order by seq desc limit 20");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(String.valueOf(rs.getString(1)));
      }
    }
    return rows;
  }
}
