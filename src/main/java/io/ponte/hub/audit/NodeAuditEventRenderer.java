package io.ponte.hub.audit;

import static io.ponte.hub.audit.AuditEventRenderer.BALP_ENTITY;
import static io.ponte.hub.audit.AuditEventRenderer.DCM;
import static io.ponte.hub.audit.AuditEventRenderer.ENTITY_TYPE;
import static io.ponte.hub.audit.AuditEventRenderer.OBJECT_ROLE;
import static io.ponte.hub.audit.AuditEventRenderer.RESTFUL;
import static io.ponte.hub.audit.AuditEventRenderer.SOURCE_TYPE;
import static io.ponte.hub.audit.AuditEventRenderer.list;
import static io.ponte.hub.audit.AuditEventRenderer.outcomeCode;

import io.ponte.fhir.IdentifierSystems;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * A record a node sent, as a FHIR R4 AuditEvent: the node is the observer ({@code source}, site =
 * the node's site), DICOM's "DICOM Instances Transferred" (110104) for an ingest or a retrieve and
 * "Query" (110112) for a QIDO-RS search, "DICOM Study Deleted" (110105) for a study deleted after
 * its retention and "DICOM Instances Accessed" (110103, action update) for a legal hold set or
 * released, with the RESTful interaction as subtype when it came over DICOMweb. Agents: the
 * requestor (the DIMSE peer with its AE title, the STOW-RS client, or the hub on a retrieve) and
 * the node; the side that sends the instances is the Source Role ID (110153), the side that
 * receives them the Destination Role ID (110152). Entities: patient, study, the query and the
 * request id (BALP XrequestId), which is the hub's own on a retrieve, so that {@code
 * entity=<request id>} finds both ends.
 */
final class NodeAuditEventRenderer {

  static final String DIMSE_AE = "urn:ponte:dicom-ae-title";

  private NodeAuditEventRenderer() {}

  static String typeCode(String action) {
    return switch (action == null ? "" : action) {
      case "node-query" -> "110112";
      case "node-delete" -> "110105";
      case "node-hold", "node-release" -> "110103";
      default -> "110104";
    };
  }

  private static Coding type(String action) {
    return switch (typeCode(action)) {
      case "110112" -> new Coding(DCM, "110112", "Query");
      case "110105" -> new Coding(DCM, "110105", "DICOM Study Deleted");
      case "110103" -> new Coding(DCM, "110103", "DICOM Instances Accessed");
      default -> new Coding(DCM, "110104", "DICOM Instances Transferred");
    };
  }

  /** The RESTful interaction of a DICOMweb record; the DIMSE service for a DIMSE one. */
  static String subtypeCode(AuditRecordEntity r) {
    return switch (r.resourceType == null ? "" : r.resourceType) {
      case "STOW-RS" -> "create";
      case "WADO-RS" -> "read";
      case "QIDO-RS" -> "search-type";
      default -> "C-STORE";
    };
  }

  static AuditEvent render(AuditRecordEntity r) {
    boolean ingest = "node-ingest".equals(r.action);
    String node = "Ponte node " + r.sourceSite;
    AuditEvent e = new AuditEvent();
    e.setId(String.valueOf(r.seq));
    e.setType(type(r.action));
    String subtype = subtypeCode(r);
    if (!subtype.equals("C-STORE") && !"CLI".equals(r.resourceType)) {
      // DIMSE services have no code system AuditEvent.subtype binds to; the type says enough.
      e.addSubtype(new Coding(RESTFUL, subtype, null));
    }
    e.setAction(
        switch (typeCode(r.action)) {
          case "110112" -> AuditEventAction.E;
          case "110105" -> AuditEventAction.D;
          case "110103" -> AuditEventAction.U;
          default -> ingest ? AuditEventAction.C : AuditEventAction.R;
        });
    e.setRecorded(Date.from(r.recordedAt));
    if (r.occurredAt != null) {
      e.setPeriod(new Period().setStart(Date.from(r.occurredAt)));
    }
    e.setOutcome(AuditEventOutcome.fromCode(outcomeCode(r.outcome)));
    if (!"success".equals(r.outcome) || r.detail != null) {
      e.setOutcomeDesc(
          (r.errorCode == null ? r.outcome : r.errorCode)
              + (r.status == null ? "" : " (HTTP " + r.status + ")")
              + (r.detail == null ? "" : ": " + r.detail));
    }
    e.addPurposeOfEvent(AuditEventRenderer.purpose(r.purpose));

    // Who asked: the DIMSE peer, the STOW-RS client, or the hub retrieving for its user.
    AuditEventAgentComponent requestor = e.addAgent();
    requestor.setRequestor(true);
    requestor.setType(
        new CodeableConcept(
            ingest
                ? new Coding(DCM, "110153", "Source Role ID")
                : new Coding(DCM, "110152", "Destination Role ID")));
    if (r.peerAe != null) {
      requestor.setWho(
          new Reference()
              .setIdentifier(new Identifier().setSystem(DIMSE_AE).setValue(r.peerAe))
              .setDisplay(r.peerAe));
      requestor.setAltId(r.peerAe);
    } else {
      requestor.setWho(
          new Reference()
              .setIdentifier(new Identifier().setValue(r.clientId == null ? "unknown" : r.clientId))
              .setDisplay(r.clientId));
      if (r.subject != null) {
        requestor.setAltId(r.subject);
      }
    }
    if (r.clientAddress != null) {
      requestor.getNetwork().setAddress(r.clientAddress).setType(AuditEventAgentNetworkType._2);
    }

    AuditEventAgentComponent self = e.addAgent();
    self.setRequestor(false);
    self.setType(
        new CodeableConcept(
            ingest
                ? new Coding(DCM, "110152", "Destination Role ID")
                : new Coding(DCM, "110153", "Source Role ID")));
    self.setWho(siteReference(r.sourceSite, node));

    e.getSource()
        .setSite(r.sourceSite)
        .setObserver(siteReference(r.sourceSite, node))
        .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));

    for (String patient : list(r.patientIds)) {
      e.addEntity(AuditEventRenderer.patientEntity().setWhat(new Reference("Patient/" + patient)));
    }
    for (String identifier : list(r.patientIdentifiers)) {
      int bar = identifier.indexOf('|');
      e.addEntity(
          AuditEventRenderer.patientEntity()
              .setWhat(
                  new Reference()
                      .setIdentifier(
                          new Identifier()
                              .setSystem(bar < 0 ? null : identifier.substring(0, bar))
                              .setValue(identifier.substring(bar + 1)))));
    }
    for (String study : list(r.studyUids)) {
      e.addEntity()
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "3", "Report"))
          .setDescription(r.instanceCount == null ? null : r.instanceCount + " instances")
          .setWhat(
              new Reference()
                  .setType("ImagingStudy")
                  .setIdentifier(
                      new Identifier()
                          .setSystem(IdentifierSystems.DICOM_UID)
                          .setValue(IdentifierSystems.OID_PREFIX + study)));
    }
    if (r.query != null) {
      e.addEntity()
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
          .setDescription(r.resourceType)
          .setQuery(r.query.getBytes(StandardCharsets.UTF_8));
    }
    if (r.requestId != null) {
      e.addEntity()
          .setType(new Coding(BALP_ENTITY, "XrequestId", "X-Request-Id"))
          .setWhat(new Reference().setIdentifier(new Identifier().setValue(r.requestId)));
    }
    return e;
  }

  private static Reference siteReference(String site, String display) {
    return new Reference()
        .setIdentifier(new Identifier().setSystem(IdentifierSystems.SITE).setValue(site))
        .setDisplay(display);
  }
}
