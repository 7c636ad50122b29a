package io.ponte.hub.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.ponte.cli.DemoCommand;
import io.ponte.demo.DemoCatalogue;
import io.ponte.hub.web.portal.PortalConsentTestProfile;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consent {@code ponte.sh up} records ({@code ponte demo samples} writes it): the hub accepts
 * it from the admin as a paper consent, and it does what the ready block says: the denied
 * hospital's clinicians no longer find the patient's studies, while her own hospital's still do
 * (which is how the bring-up checks that every demo study is retrievable).
 */
@QuarkusTest
@TestProfile(PortalConsentTestProfile.class)
class DemoConsentTest {

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @AfterEach
  void withdrawEverything() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("update consent set status = 'inactive' where status = 'active'")) {
      ps.executeUpdate();
    }
  }

  @Test
  void theDemoConsentIsAcceptedAndKeepsTheDeniedHospitalOut() {
    DemoCatalogue.Patient helene = DemoCatalogue.DEMO_CONSENT.patient();
    FhirStudies.Builder study = FhirStudies.study(helene.site(), helene.mrn());
    HubFhir.published("ponte-node-" + helene.site(), study);
    String identifier = FhirStudies.mrnSystem(helene.site()) + "|" + helene.mrn();

    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType("application/fhir+json")
        .body(DemoCommand.demoConsent())
        .post("/fhir/Consent")
        .then()
        .statusCode(201)
        .body("meta.tag[0].code", equalTo("paper"));

    given()
        .auth()
        .oauth2(Tokens.user("carla.hospb"))
        .queryParam("patient.identifier", identifier)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body("entry.search.mode", not(hasItem("match")));
    given()
        .auth()
        .oauth2(Tokens.user("bruno.hospa"))
        .queryParam("patient.identifier", identifier)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body("entry.resource.identifier.flatten().value", hasItem("urn:oid:" + study.uidValue()));
  }
}
