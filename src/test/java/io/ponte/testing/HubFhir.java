package io.ponte.testing;

import static io.restassured.RestAssured.given;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.hub.consent.ConsentValidator;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/**
 * Test helpers for the hub's FHIR API: publishing as a node, linking as admin, finding a Patient by
 * MRN, a HAPI generic client with a real token.
 */
public final class HubFhir {

  public static final String FHIR_JSON = "application/fhir+json";

  private HubFhir() {}

  public static Response publish(String nodeClient, FhirStudies.Builder study) {
    return given()
        .auth()
        .oauth2(Tokens.client(nodeClient))
        // UTF-8 stated: without a charset RestAssured encodes the body as ISO-8859-1, and a
        // "Gonçalves" would reach the hub as "Gon\uFFFDalves".
        .contentType(FHIR_JSON + "; charset=UTF-8")
        .body(study.json())
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + study.uidValue())
        .put("/fhir/ImagingStudy");
  }

  /** Publishes and returns the hub id of the study (fails unless 201/200). */
  public static String published(String nodeClient, FhirStudies.Builder study) {
    return publish(nodeClient, study)
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 201))
        .extract()
        .path("id");
  }

  /** Makes exactly these (system, value) pairs the links of {@code regionalId}, as ponte.admin. */
  public static void link(String regionalId, List<Map<String, String>> identifiers) {
    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType("application/json")
        .body(identifiers)
        .put("/api/identity/links/" + regionalId)
        .then()
        .statusCode(200);
  }

  /**
   * As ponte.admin, records a paper consent of a Hospital A patient that denies Clínica Norte, on
   * the in-process hub.
   */
  public static void denyClinicNorte(String hospitalAMrn) {
    denyClinicNorte(given(), hospitalAMrn, null);
  }

  /**
   * The same, for the person's studies held at {@code site} only (provision.data authoredby the
   * site): her records elsewhere stay shared.
   */
  public static void denyClinicNorteAt(String hospitalAMrn, String site) {
    denyClinicNorte(given(), hospitalAMrn, site);
  }

  /** The same, on the hub at {@code hubBaseUrl} (a hub process of an IT). */
  public static void denyClinicNorte(String hubBaseUrl, String hospitalAMrn) {
    denyClinicNorte(given().baseUri(hubBaseUrl), hospitalAMrn, null);
  }

  private static void denyClinicNorte(RequestSpecification hub, String hospitalAMrn, String site) {
    String consent =
        """
        {"resourceType":"Consent","status":"active",
         "scope":{"coding":[{"system":"%s","code":"%s"}]},
         "category":[{"coding":[{"system":"%s","code":"%s"}]}],
         "patient":{"identifier":{"system":"%s","value":"%s"}},
         "dateTime":"2026-01-01T00:00:00Z",
         "policy":[{"uri":"%s"}],
         "provision":{"type":"deny","actor":[{"role":{"coding":[{
           "system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},
           "reference":{"reference":"Organization/clinic-norte"}}]%s}}
        """
            .formatted(
                ConsentValidator.SCOPE_SYSTEM,
                ConsentValidator.SCOPE_PRIVACY,
                ConsentValidator.LOINC,
                ConsentValidator.CATEGORY_CODE,
                FhirStudies.mrnSystem("hospital-a"),
                hospitalAMrn,
                ConsentValidator.POLICY_OPT_OUT,
                site == null
                    ? ""
                    : """
                      ,"data":[{"meaning":"authoredby","reference":{"reference":"Organization/%s"}}]"""
                        .formatted(site));
    hub.auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType(FHIR_JSON)
        .body(consent)
        .post("/fhir/Consent")
        .then()
        .statusCode(201);
  }

  /**
   * A study's audit trail (its first 100 AuditEvents) on the hub at {@code hubBaseUrl}, as the
   * authority reads it; fails unless 200.
   */
  public static Response auditTrail(String hubBaseUrl, String studyUid) {
    return given()
        .baseUri(hubBaseUrl)
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/fhir/AuditEvent?entity=" + studyUid + "&_count=100")
        .then()
        .statusCode(200)
        .extract()
        .response();
  }

  /**
   * ana.clinic's FHIR Patient search on the in-process hub by a site's MRN (the identifier a node
   * publishes); fails unless 200.
   */
  public static ValidatableResponse patientByMrn(String site, String mrn) {
    return given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", FhirStudies.mrnSystem(site) + "|" + mrn)
        .get("/fhir/Patient")
        .then()
        .statusCode(200);
  }

  public static Map<String, String> identifier(String site, String mrn) {
    return Map.of("system", FhirStudies.mrnSystem(site), "value", mrn);
  }

  /** A HAPI generic client on the test server's /fhir with a bearer token. */
  public static IGenericClient client(String baseUrl, String token) {
    var context = FhirContextProducer.r4();
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    context.getRestfulClientFactory().setSocketTimeout(60_000);
    IGenericClient client = context.newRestfulGenericClient(baseUrl);
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    client.setEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
    return client;
  }
}
