package io.ponte.hub.registry;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.fhir.SearchParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Date;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * The hub's CapabilityStatement: exactly what the resources in this package and hub/consent
 * implement (and docs/conformance/fhir-capability.md says). When a resource gains an interaction or
 * parameter, add it here too; FhirCapabilityTest checks each one listed is answered.
 */
@ApplicationScoped
public class CapabilityStatementFactory {

  private static final String SP = "http://hl7.org/fhir/SearchParameter/";
  private static final Date STARTED = new Date();

  @Inject SiteDirectory directory;

  @ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String authServer;

  public CapabilityStatement build() {
    CapabilityStatement cs = new CapabilityStatement();
    cs.setId("ponte-hub");
    cs.setUrl(directory.fhirBase() + "/metadata");
    cs.setName("PonteHub");
    cs.setTitle("Ponte hub FHIR R4 API");
    cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
    cs.setDate(STARTED);
    cs.setPublisher("Ponte");
    cs.setDescription(
        "Regional imaging registry: ImagingStudy manifests whose endpoint is the hub's DICOMweb, the "
            + "hub's patient index, patients' consents and the federation directory. JSON only; SMART on FHIR v2 scopes.");
    cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
    cs.getSoftware().setName("Ponte hub");
    cs.getImplementation().setDescription("Ponte hub").setUrl(directory.fhirBase());
    cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
    cs.addFormat("application/fhir+json");
    cs.addFormat("json");

    CapabilityStatementRestComponent rest = cs.addRest();
    rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.getSecurity()
        .setCors(true)
        .addService(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "SMART-on-FHIR",
                    "SMART-on-FHIR")))
        .setDescription(
            "OAuth2 bearer tokens from the ponte Keycloak realm. Clinicians: role clinician + "
                + "user/ImagingStudy.rs (user/Patient.rs for Patient); patients: patient/ImagingStudy.rs, own "
                + "studies only; nodes: system/ImagingStudy.cu, own site only; Consent: patient (own), "
                + "admin, authority. Errors are OperationOutcome.");
    Extension oauth =
        new Extension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
    oauth.addExtension("token", new UriType(authServer + "/protocol/openid-connect/token"));
    oauth.addExtension("authorize", new UriType(authServer + "/protocol/openid-connect/auth"));
    rest.getSecurity().addExtension(oauth);

    CapabilityStatementRestResourceComponent study =
        rest.addResource()
            .setType("ImagingStudy")
            .setProfile("http://hl7.org/fhir/StructureDefinition/ImagingStudy")
            .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
            .setReadHistory(false)
            .setUpdateCreate(false)
            .setConditionalUpdate(true)
            .setConditionalCreate(false)
            .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED)
            .setConditionalRead(CapabilityStatement.ConditionalReadStatus.NOTSUPPORTED)
            .setDocumentation(
                "Conditional update (PUT ImagingStudy?identifier=urn:dicom:uid|urn:oid:<uid>) creates or "
                    + "updates a study (nodes, own site); PUT ImagingStudy/[id] updates only. Chained search "
                    + "patient.identifier is supported. Patient criteria expand through identity links.");
    interactions(
        study,
        TypeRestfulInteraction.READ,
        TypeRestfulInteraction.SEARCHTYPE,
        TypeRestfulInteraction.UPDATE);
    study.addSearchInclude(ImagingStudyReader.ENDPOINT_INCLUDE);
    param(
        study,
        "patient",
        "ImagingStudy-patient",
        Enumerations.SearchParamType.REFERENCE,
        "Patient id; finds the studies of every identifier linked to that patient. Chain: patient.identifier=system|value");
    param(
        study,
        "identifier",
        "ImagingStudy-identifier",
        Enumerations.SearchParamType.TOKEN,
        IdentifierSystems.DICOM_UID
            + "|"
            + IdentifierSystems.oid("<StudyInstanceUID>")
            + " (other identifier systems match nothing)");
    param(
        study,
        "started",
        "ImagingStudy-started",
        Enumerations.SearchParamType.DATE,
        "prefixes eq, gt, lt, ge, le; dates without time are UTC days");
    param(
        study,
        "modality",
        "ImagingStudy-modality",
        Enumerations.SearchParamType.TOKEN,
        "DICOM modality code, with or without system " + ImagingStudyRules.DCM);
    param(
        study,
        "_lastUpdated",
        "Resource-lastUpdated",
        Enumerations.SearchParamType.DATE,
        "prefixes eq, gt, lt, ge, le");

    CapabilityStatementRestResourceComponent patient =
        rest.addResource()
            .setType("Patient")
            .setProfile("http://hl7.org/fhir/StructureDefinition/Patient")
            .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
            .setReadHistory(false)
            .setDocumentation(
                "One Patient per local identifier; the linked patients of the same person that the"
                    + " caller may see appear in Patient.link.");
    interactions(patient, TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
    param(
        patient,
        "identifier",
        "Patient-identifier",
        Enumerations.SearchParamType.TOKEN,
        "system|value or value");
    String folded = "starts with; accents and case ignored (Gonçalves = goncalves)";
    param(patient, "name", "Patient-name", Enumerations.SearchParamType.STRING, folded);
    param(patient, "family", "Patient-family", Enumerations.SearchParamType.STRING, folded);
    param(patient, "given", "Patient-given", Enumerations.SearchParamType.STRING, folded);
    param(
        patient,
        "birthdate",
        "individual-birthdate",
        Enumerations.SearchParamType.DATE,
        "YYYY, YYYY-MM or YYYY-MM-DD (eq)");
    param(patient, "gender", "individual-gender", Enumerations.SearchParamType.TOKEN, null);

    CapabilityStatementRestResourceComponent org =
        rest.addResource()
            .setType("Organization")
            .setProfile("http://hl7.org/fhir/StructureDefinition/Organization")
            .setDocumentation("One per federated site.");
    interactions(org, TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
    param(org, "_id", "Resource-id", Enumerations.SearchParamType.TOKEN, null);
    param(
        org,
        "identifier",
        "Organization-identifier",
        Enumerations.SearchParamType.TOKEN,
        IdentifierSystems.SITE + "|<site>");

    CapabilityStatementRestResourceComponent endpoint =
        rest.addResource()
            .setType("Endpoint")
            .setProfile("http://hl7.org/fhir/StructureDefinition/Endpoint")
            .setDocumentation("One per site; the address is always the hub's own DICOMweb.");
    interactions(endpoint, TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
    param(endpoint, "_id", "Resource-id", Enumerations.SearchParamType.TOKEN, null);
    param(
        endpoint,
        "organization",
        "Endpoint-organization",
        Enumerations.SearchParamType.REFERENCE,
        null);

    CapabilityStatementRestResourceComponent consent =
        rest.addResource()
            .setType("Consent")
            .setProfile("http://hl7.org/fhir/StructureDefinition/Consent")
            .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
            .setReadHistory(false)
            .setUpdateCreate(false)
            .setConditionalCreate(false)
            .setConditionalUpdate(false)
            .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED)
            .setDocumentation(
                "Patients' consent to sharing (IHE PCF Basic shape). Created by the patient for their own "
                    + "person or by an admin from a signed paper form; update only revokes (status active -> "
                    + "inactive, or entered-in-error by an admin). Read and searched by the patient (own "
                    + "only), the authority and admins; clinicians get decisions, not consents (403).");
    interactions(
        consent,
        TypeRestfulInteraction.CREATE,
        TypeRestfulInteraction.READ,
        TypeRestfulInteraction.SEARCHTYPE,
        TypeRestfulInteraction.UPDATE);
    param(
        consent,
        "patient",
        "clinical-patient",
        Enumerations.SearchParamType.REFERENCE,
        "Patient id (every consent of that person); modifier :identifier=system|value with a site's "
            + "identifier or "
            + IdentifierSystems.REGIONAL_ID
            + "|<regional id>");
    param(
        consent,
        "status",
        "Consent-status",
        Enumerations.SearchParamType.TOKEN,
        "active, inactive, entered-in-error");
    param(
        consent,
        "date",
        "clinical-date",
        Enumerations.SearchParamType.DATE,
        "when the patient consented; prefixes eq, gt, lt, ge, le");

    for (CapabilityStatementRestResourceComponent r : rest.getResource()) {
      param(
          r,
          "_count",
          null,
          Enumerations.SearchParamType.NUMBER,
          "page size, at most " + SearchParams.MAX_COUNT + "; paging links use _offset");
    }
    return cs;
  }

  private static void interactions(
      CapabilityStatementRestResourceComponent resource, TypeRestfulInteraction... codes) {
    for (TypeRestfulInteraction code : codes) {
      resource.addInteraction().setCode(code);
    }
  }

  private static void param(
      CapabilityStatementRestResourceComponent resource,
      String name,
      String definition,
      Enumerations.SearchParamType type,
      String documentation) {
    var p = resource.addSearchParam().setName(name).setType(type).setDocumentation(documentation);
    if (definition != null) {
      p.setDefinition(SP + definition);
    }
  }
}
