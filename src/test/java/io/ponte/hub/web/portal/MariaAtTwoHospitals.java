package io.ponte.hub.web.portal;

import static io.ponte.testing.HubFhir.identifier;
import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;

import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Tokens;
import java.util.List;

/**
 * The portal's test data: maria.patient (regional id REG-000001, her token's patient_id) has a
 * study at each hospital under two fresh MRNs, linked to her; then ana.clinic (Clínica Norte)
 * searches for her, which her access log must show. Call inside a {@code @QuarkusTest} once
 * RestAssured points at the hub.
 */
record MariaAtTwoHospitals(
    String descriptionA,
    String descriptionB,
    String mrnA,
    String mrnB,
    String studyA,
    String studyB) {

  static final String REGIONAL = "REG-000001";

  static MariaAtTwoHospitals publish() {
    String mrnA = FhirStudies.mrn();
    String mrnB = FhirStudies.mrn();
    FhirStudies.Builder a =
        FhirStudies.study("hospital-a", mrnA)
            .description("CT thorax " + mrnA)
            .started("2024-03-05T00:30:00Z");
    FhirStudies.Builder b =
        FhirStudies.study("hospital-b", mrnB)
            .description("MR joelho " + mrnB)
            .modalities("MR")
            .started("2025-01-20T09:00:00Z");
    MariaAtTwoHospitals maria =
        new MariaAtTwoHospitals(
            "CT thorax " + mrnA, "MR joelho " + mrnB, mrnA, mrnB, a.uidValue(), b.uidValue());
    published("ponte-node-hospital-a", a);
    published("ponte-node-hospital-b", b);
    HubFhir.link(REGIONAL, List.of(identifier("hospital-a", mrnA), identifier("hospital-b", mrnB)));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("patient.identifier", FhirStudies.mrnSystem("hospital-a") + "|" + mrnA)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200);
    return maria;
  }
}
