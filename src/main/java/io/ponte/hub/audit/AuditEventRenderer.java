package io.ponte.hub.audit;

import io.ponte.fhir.IdentifierSystems;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * An audit row as a FHIR R4 AuditEvent after IHE BALP's RESTful Query/Read, Patient variant: type
 * {@code rest} with the RESTful interaction as subtype; agents for the user (with the token by the
 * "Minimal" pattern: {@code who.identifier} = iss|sub, {@code policy} = jti, and the purpose of
 * use), the user's organisation, the client application and the server; entities for each patient,
 * each study, the query and the request id.
 */
public final class AuditEventRenderer {

  static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String RESTFUL = "http://hl7.org/fhir/restful-interaction";
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String SECURITY_ROLE =
      "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
  static final String ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
  static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String BALP_ENTITY =
      "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
  static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  /** System of a regional (cross-site) patient id. */
  static final String REGIONAL_ID = "urn:ponte:regional-id";

  static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";

  /** Ponte's purposes of use as HL7 v3 PurposeOfUse codes. */
  static final Map<String, String> PURPOSE_CODES =
      Map.of(
          "treatment", "TREAT",
          "emergency", "ETREAT",
          "patient-request", "PATRQT",
          "operations", "HOPERAT",
          "public-health", "PUBHLTH",
          "audit", "HSYSADMIN");

  private AuditEventRenderer() {}

  /** The RESTful interaction (BALP subtype) of an action code. */
  static String subtype(String action) {
    return switch (action) {
      case "search" -> "search-type";
      case "create" -> "create";
      case "delete" -> "delete";
      case "update", "identity-link", "identity-unlink", "identity-reject" -> "update";
      default -> "read";
    };
  }

  /** FHIR outcome code of a row's outcome: 0 success, 4 refused (minor), 8 failed (serious). */
  static String outcomeCode(String outcome) {
    return switch (outcome) {
      case "success" -> "0";
      case "error" -> "8";
      default -> "4";
    };
  }

  public static AuditEvent render(AuditRecordEntity r, String serverName) {
    if (r.sourceSite != null) {
      return NodeAuditEventRenderer.render(r);
    }
    AuditEvent e = new AuditEvent();
    e.setId(String.valueOf(r.seq));
    e.setType(
        "export".equals(r.action)
            // Images sent out to a clinic's PACS: DICOM's Export event, not a REST interaction.
            ? new Coding(DCM, "110106", "Export")
            : new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
    e.addSubtype(new Coding(RESTFUL, subtype(r.action), null));
    e.setAction(
        switch (r.action) {
          case "search" -> AuditEventAction.E;
          case "create" -> AuditEventAction.C;
          case "delete" -> AuditEventAction.D;
          case "update", "identity-link", "identity-unlink", "identity-reject" ->
              AuditEventAction.U;
          default -> AuditEventAction.R;
        });
    e.setRecorded(Date.from(r.recordedAt));
    e.setOutcome(AuditEventOutcome.fromCode(outcomeCode(r.outcome)));
    if (!"success".equals(r.outcome)) {
      e.setOutcomeDesc(
          (r.errorCode == null ? r.outcome : r.errorCode)
              + (r.status == null ? "" : " (HTTP " + r.status + ")")
              + (r.detail == null ? "" : ": " + r.detail));
    }
    CodeableConcept purpose = purpose(r.purpose);
    e.addPurposeOfEvent(purpose);

    AuditEventAgentComponent user = e.addAgent();
    user.setType(
        new CodeableConcept(
            new Coding(SECURITY_ROLE, r.username == null ? "dataprocessor" : "humanuser", null)));
    user.setRequestor(true);
    Identifier who = new Identifier().setValue(r.subject == null ? "anonymous" : r.subject);
    if (r.tokenIssuer != null) {
      who.setSystem(r.tokenIssuer);
    }
    user.setWho(new Reference().setIdentifier(who).setDisplay(r.username));
    if (r.username != null) {
      user.setAltId(r.username);
    }
    if (r.actorName != null) {
      // R4 agent.name: "human-meaningful name for the agent", as their token named them then
      user.setName(r.actorName);
    }
    if (r.tokenId != null) {
      user.addPolicy(r.tokenId);
    }
    if (r.roles != null) {
      for (String role : r.roles.split(",")) {
        user.addRole(new CodeableConcept().setText(role));
      }
    }
    user.addPurposeOfUse(purpose);

    if (r.organization != null || r.site != null) {
      AuditEventAgentComponent org = e.addAgent();
      org.setType(new CodeableConcept(new Coding(ROLE_CLASS, "PROV", "healthcare provider")));
      org.setRequestor(false);
      String id = r.organization != null ? r.organization : r.site;
      org.setWho(
          new Reference()
              .setIdentifier(new Identifier().setSystem(IdentifierSystems.SITE).setValue(id)));
    }

    AuditEventAgentComponent client = e.addAgent();
    client.setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")));
    client.setRequestor(false);
    client.setWho(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem(r.tokenIssuer)
                    .setValue(r.clientId == null ? "unknown" : r.clientId)));
    if (r.clientAddress != null) {
      client.getNetwork().setAddress(r.clientAddress).setType(AuditEventAgentNetworkType._2);
    }

    AuditEventAgentComponent server = e.addAgent();
    server.setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")));
    server.setRequestor(false);
    server.setWho(new Reference().setDisplay(serverName));

    if ("export".equals(r.action) && r.detail != null) {
      // Where the images went: DICOM Export's destination participant, named by the record.
      AuditEventAgentComponent media = e.addAgent();
      media.setType(new CodeableConcept(new Coding(DCM, "110154", "Destination Media")));
      media.setRequestor(false);
      media.setWho(new Reference().setDisplay(r.detail));
    }

    e.getSource()
        .setSite(serverName)
        .setObserver(new Reference().setDisplay(serverName))
        .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));

    for (String patient : list(r.patientIds)) {
      e.addEntity(patientEntity().setWhat(new Reference("Patient/" + patient)));
    }
    for (String regional : list(r.regionalIds)) {
      e.addEntity(
          patientEntity()
              .setWhat(
                  new Reference()
                      .setIdentifier(new Identifier().setSystem(REGIONAL_ID).setValue(regional))));
    }
    for (String study : list(r.studyUids)) {
      e.addEntity()
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "3", "Report"))
          .setWhat(
              new Reference()
                  .setType("ImagingStudy")
                  .setIdentifier(
                      new Identifier()
                          .setSystem(IdentifierSystems.DICOM_UID)
                          .setValue(IdentifierSystems.OID_PREFIX + study)));
    }
    if (r.query != null || r.resourceType != null) {
      AuditEventEntityComponent query =
          e.addEntity()
              .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
              .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
              .setDescription(r.resourceType);
      if (r.query != null) {
        query.setQuery(r.query.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (r.requestId != null) {
      e.addEntity()
          .setType(new Coding(BALP_ENTITY, "XrequestId", "X-Request-Id"))
          .setWhat(new Reference().setIdentifier(new Identifier().setValue(r.requestId)));
    }
    return e;
  }

  static AuditEventEntityComponent patientEntity() {
    return new AuditEventEntityComponent()
        .setType(new Coding(ENTITY_TYPE, "1", "Person"))
        .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
  }

  static CodeableConcept purpose(String word) {
    String code = PURPOSE_CODES.get(word);
    return code == null
        ? new CodeableConcept().setText(word)
        : new CodeableConcept(new Coding(ACT_REASON, code, null)).setText(word);
  }

  static List<String> list(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }

  /** CSV header and one line per row, for {@code _format=csv}. */
  static final String CSV_HEADER =
      "id,recorded,type,subtype,outcome,error_code,status,purpose,user,subject,issuer,token_id,"
          + "client_id,organization,client_address,patients,regional_ids,studies,request_id,"
          + "resource,query,source_site,peer_ae,instances,occurred";

  static String csv(AuditRecordEntity r) {
    return String.join(
        ",",
        Arrays.stream(
                new String[] {
                  String.valueOf(r.seq),
                  r.recordedAt.toString(),
                  r.sourceSite == null ? "rest" : NodeAuditEventRenderer.typeCode(r.action),
                  r.sourceSite == null ? subtype(r.action) : NodeAuditEventRenderer.subtypeCode(r),
                  outcomeCode(r.outcome),
                  r.errorCode,
                  r.status == null ? null : r.status.toString(),
                  r.purpose,
                  r.username,
                  r.subject,
                  r.tokenIssuer,
                  r.tokenId,
                  r.clientId,
                  r.organization,
                  r.clientAddress,
                  r.patientIds,
                  r.regionalIds,
                  r.studyUids,
                  r.requestId,
                  r.resourceType,
                  r.query,
                  r.sourceSite,
                  r.peerAe,
                  r.instanceCount == null ? null : r.instanceCount.toString(),
                  r.occurredAt == null ? null : r.occurredAt.toString()
                })
            .map(AuditEventRenderer::csvField)
            .toList());
  }

  /** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
  static String csvField(String v) {
    if (v == null) {
      return "";
    }
    String s = v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
