package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentFixtures.as;
import static io.ponte.hub.consent.ConsentFixtures.consent;
import static io.ponte.hub.consent.ConsentFixtures.posted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.hub.consent.ConsentLogicTest.Situation;
import io.ponte.hub.consent.Decision.Outcome;
import io.ponte.testing.FhirStudies;
import io.quarkus.agroal.DataSource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decision matrix through the real paths: for each situation of {@link ConsentLogicTest}, the
 * clinic (ana.clinic), the owning hospital (bruno.hospa, hospital-a) and another hospital
 * (carla.hospb) each try FHIR search, FHIR read, QIDO-RS, WADO-RS, metadata and a frame of a
 * hospital-a study of maria.patient. Every cell must agree with the pure decision's matrix.
 * Subclasses run it under each region policy.
 */
abstract class ConsentPathMatrix {

  static TinyNode node;

  static final Map<String, String> CLINICIANS =
      Map.of(
          ConsentLogicTest.CLINIC, "ana.clinic",
          ConsentLogicTest.OWNER, "bruno.hospa",
          ConsentLogicTest.OTHER, "carla.hospb");

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  abstract boolean optIn();

  @BeforeAll
  static void startNode() throws Exception {
    node = new TinyNode(ConsentTestProfile.NODE_PORT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @org.junit.jupiter.api.AfterEach
  void withdrawEverything() throws Exception {
    sql("update consent set status = 'inactive' where status = 'active'");
    sql("update emergency_grant set ended_at = now() where ended_at is null");
  }

  @ParameterizedTest
  @EnumSource(Situation.class)
  void everyPathAgreesWithTheDecisionMatrix(Situation situation) throws Exception {
    withdrawEverything();
    ConsentFixtures.Maria maria = ConsentFixtures.maria();
    arrange(situation, maria);
    String studyId =
        one("select id from imaging_study where study_instance_uid = ?", maria.studyA());
    List<String> wrong = new ArrayList<>();
    for (String org :
        List.of(ConsentLogicTest.CLINIC, ConsentLogicTest.OWNER, ConsentLogicTest.OTHER)) {
      Outcome expected =
          ConsentLogicTest.decide(
              new ConsentPolicy(optIn(), true), org, ConsentLogicTest.consents(situation, org));
      boolean visible = expected != Outcome.DENY;
      String user = CLINICIANS.get(org);
      Map<String, Boolean> seen = new LinkedHashMap<>();
      seen.put(
          "FHIR search",
          as(user)
              .queryParam(
                  "patient.identifier", FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA())
              .get("/fhir/ImagingStudy")
              .asString()
              .contains(maria.studyA()));
      seen.put("FHIR read", status(as(user).get("/fhir/ImagingStudy/" + studyId), "FHIR read"));
      seen.put(
          "QIDO-RS",
          as(user)
              .queryParam("PatientID", maria.mrnA())
              .get("/dicomweb/studies")
              .asString()
              .contains(maria.studyA()));
      String base = "/dicomweb/studies/" + maria.studyA();
      seen.put("WADO-RS", status(as(user).get(base), "WADO-RS"));
      seen.put("metadata", status(as(user).get(base + "/metadata"), "metadata"));
      seen.put(
          "frame",
          status(as(user).get(base + "/series/1.2.3/instances/1.2.3.4/frames/1"), "frame"));
      seen.forEach(
          (path, shown) -> {
            if (shown != visible) {
              wrong.add(situation + " " + org + " " + path + ": expected " + expected);
            }
          });
    }
    assertThat(wrong).isEmpty();
  }

  /** 200 = shown, 403 consent-denied = refused; anything else fails the test. */
  private static boolean status(Response r, String path) {
    if (r.statusCode() == 200) {
      return true;
    }
    assertThat(r.statusCode()).as(path).isEqualTo(403);
    assertThat(r.asString()).as(path).contains("ponte:consent-denied");
    return false;
  }

  private void arrange(Situation situation, ConsentFixtures.Maria maria) {
    switch (situation) {
      case NO_CONSENT -> {}
      case DENY_ALL -> posted("maria.patient", consent(maria.atA(), false));
      case DENY_CLINIC -> posted("maria.patient", consent(maria.atA(), false, "clinic-norte"));
      case PERMIT_CLINIC_ONLY -> {
        Consent c = consent(maria.atA(), false);
        c.getProvision()
            .addProvision()
            .setType(Consent.ConsentProvisionType.PERMIT)
            .addActor()
            .setRole(c.getProvision().getActorFirstRep().getRole())
            .setReference(new org.hl7.fhir.r4.model.Reference("Organization/clinic-norte"));
        posted("maria.patient", c);
      }
      case EXPIRED_DENY_ALL -> {
        Consent c = consent(maria.atA(), false);
        c.getProvision()
            .setPeriod(
                new Period()
                    .setStart(Date.from(Instant.now().minusSeconds(86_400)))
                    .setEnd(Date.from(Instant.now().minusSeconds(60))));
        posted("maria.patient", c);
      }
      case DENY_ALL_WITH_EMERGENCY_GRANT -> {
        posted("maria.patient", consent(maria.atA(), false));
        for (String user : CLINICIANS.values()) {
          as(user)
              .contentType("application/json")
              .body(
                  Map.of(
                      "patient",
                      FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA(),
                      "reason",
                      "matrix test"))
              .post("/api/emergency-access")
              .then()
              .statusCode(201);
        }
      }
    }
  }

  private String one(String sql, String arg) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private void sql(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }
}
