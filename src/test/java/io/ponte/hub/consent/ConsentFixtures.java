package io.ponte.hub.consent;

import static io.restassured.RestAssured.given;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.Tokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** Consents as a patient or admin would send them, and the demo patient's fresh studies. */
final class ConsentFixtures {

  static final String FHIR_JSON = "application/fhir+json";
  static final String MARIA = "REG-000001";

  private ConsentFixtures() {}

  /** maria.patient's studies of one test: one at hospital-a, one at hospital-b, linked to her. */
  record Maria(String mrnA, String mrnB, String studyA, String studyB) {
    Reference atA() {
      return identifier(FhirStudies.mrnSystem("hospital-a"), mrnA);
    }
  }

  static Maria maria() {
    String mrnA = FhirStudies.mrn();
    String mrnB = FhirStudies.mrn();
    FhirStudies.Builder a = FhirStudies.study("hospital-a", mrnA).name("Goncalves", "Maria");
    FhirStudies.Builder b = FhirStudies.study("hospital-b", mrnB).name("Goncalves", "Maria");
    HubFhir.published("ponte-node-hospital-a", a);
    HubFhir.published("ponte-node-hospital-b", b);
    HubFhir.link(
        MARIA,
        List.of(HubFhir.identifier("hospital-a", mrnA), HubFhir.identifier("hospital-b", mrnB)));
    return new Maria(mrnA, mrnB, a.uidValue(), b.uidValue());
  }

  static Reference identifier(String system, String value) {
    return new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
  }

  /** A PCF Basic consent: deny (or permit) for the given organisations (none: everyone). */
  static Consent consent(Reference patient, boolean permit, String... organizations) {
    Consent c = new Consent();
    c.setStatus(Consent.ConsentState.ACTIVE);
    c.setScope(
        new CodeableConcept(
            new Coding(ConsentValidator.SCOPE_SYSTEM, ConsentValidator.SCOPE_PRIVACY, null)));
    c.addCategory(new CodeableConcept(new Coding(ConsentValidator.LOINC, "59284-0", null)));
    c.setPatient(patient);
    c.setDateTime(Date.from(Instant.now()));
    c.addPolicy().setUri(ConsentValidator.POLICY_OPT_OUT);
    Consent.ProvisionComponent p = c.getProvision();
    p.setType(permit ? Consent.ConsentProvisionType.PERMIT : Consent.ConsentProvisionType.DENY);
    for (String org : organizations) {
      p.addActor()
          .setRole(
              new CodeableConcept(
                  new Coding(
                      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
          .setReference(new Reference("Organization/" + org));
    }
    return c;
  }

  static String json(Consent c) {
    return FhirContextProducer.r4().newJsonParser().encodeResourceToString(c);
  }

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user));
  }

  static Response post(String user, Consent c) {
    return as(user).contentType(FHIR_JSON).body(json(c)).post("/fhir/Consent");
  }

  static String posted(String user, Consent c) {
    return post(user, c).then().statusCode(201).extract().path("id");
  }
}
