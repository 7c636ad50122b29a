package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.fhir.FhirJson;
import io.ponte.hub.fhir.FhirValidation;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.identity.PatientEntity;
import io.ponte.hub.site.HubSites;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * A node publishes its studies here (FHIR conditional update on the Study Instance UID).
 * Idempotent: the same content twice leaves the stored version untouched. A node publishes only for
 * its own site and never over another site's study.
 */
@ApplicationScoped
public class ImagingStudyPublisher {

  @Inject RegistryAccess access;

  @Inject HubSites sites;

  @Inject FhirJson json;

  @Inject FhirValidation validation;

  @Inject ImagingStudyRepository studies;

  @Inject IdentityService identity;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  /** What happened to the published study. */
  public record Published(ImagingStudy study, boolean created, boolean changed) {}

  /**
   * {@code PUT ImagingStudy?identifier=urn:dicom:uid|urn:oid:<uid>} ({@code id} empty) or {@code
   * PUT ImagingStudy/<id>} (which only updates: a node creates through the conditional form).
   */
  @Transactional
  public Published publish(Optional<String> conditionalUid, Optional<String> id, String body) {
    return audit.around(
        audit.about(AuditAction.UPDATE, "ImagingStudy"),
        record -> publish(conditionalUid, id, body, record));
  }

  private Published publish(
      Optional<String> conditionalUid,
      Optional<String> id,
      String body,
      AccessAudited.Builder record) {
    HubSites.Site site = access.requirePublisher();
    ImagingStudy study = json.parse(ImagingStudy.class, body);
    ImagingStudyRules.Facts facts = ImagingStudyRules.check(study, sites, site);
    record.studyUid(facts.uid()).patientIdentifier(facts.patient().token());
    if (conditionalUid.isPresent() && !conditionalUid.get().equals(facts.uid())) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "the identifier in the URL and in the resource differ");
    }
    // Serialise publishes of one UID (two nodes, or a retry racing its original) until commit.
    db.em()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "study:" + facts.uid())
        .getSingleResult();
    ImagingStudyEntity existing = studies.findByUid(facts.uid()).orElse(null);
    requireSameStudy(study, id, existing, site, facts.uid());
    PatientEntity patient =
        identity.registerPublished(
            site.id(), facts.patient(), facts.demographics(), facts.regionalId());
    record.patientId(patient.id);
    ImagingStudyRules.normalize(study, facts, patient.id, site.id());
    String hash = Sha256.hex(json.serialize(study));
    if (existing != null && existing.contentSha256.equals(hash)) {
      db.em().flush();
      record.detail("unchanged; version " + existing.versionId + " kept");
      return new Published(json.parse(ImagingStudy.class, existing.resourceJson), false, false);
    }
    ImagingStudyEntity stored = store(study, facts, existing, patient, site, hash);
    record.detail((existing == null ? "created" : "updated") + " version " + stored.versionId);
    return new Published(study, existing == null, true);
  }

  /**
   * Refuses a publish that would change which study a resource is: a URL id and resource id that
   * differ, an id the registry does not know or that holds another UID, or another site's study.
   */
  private void requireSameStudy(
      ImagingStudy study,
      Optional<String> id,
      ImagingStudyEntity existing,
      HubSites.Site site,
      String uid) {
    boolean resourceHasId = study.hasIdElement() && study.getIdElement().hasIdPart();
    if (id.isPresent()) {
      if (resourceHasId && !id.get().equals(study.getIdElement().getIdPart())) {
        throw new ProblemException(
            ErrorCode.BAD_REQUEST, "the id in the URL and in the resource differ");
      }
      ImagingStudyEntity byId = studies.findById(id.get());
      if (byId == null) {
        throw new ProblemException(
            ErrorCode.NOT_FOUND,
            "no ImagingStudy/"
                + id.get()
                + "; create it with PUT ImagingStudy?identifier=urn:dicom:uid|urn:oid:<uid>");
      }
      if (existing == null || !existing.id.equals(byId.id)) {
        throw new ProblemException(
            ErrorCode.INVALID_RESOURCE,
            "ImagingStudy/"
                + id.get()
                + " has another Study Instance UID; a study's UID never changes");
      }
    } else if (existing != null
        && resourceHasId
        && !existing.id.equals(study.getIdElement().getIdPart())) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "the resource id does not match the study found by identifier");
    }
    if (existing != null && !existing.siteId.equals(site.id())) {
      throw new ProblemException(
          ErrorCode.STUDY_OWNED_BY_ANOTHER_SITE,
          "study " + uid + " is registered by another site; a study UID belongs to one site");
    }
  }

  /**
   * Writes a new version (the first when {@code existing} is null): id, version and source in the
   * resource's meta, validated as R4 before anything is stored.
   */
  private ImagingStudyEntity store(
      ImagingStudy study,
      ImagingStudyRules.Facts facts,
      ImagingStudyEntity existing,
      PatientEntity patient,
      HubSites.Site site,
      String hash) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    boolean created = existing == null;
    ImagingStudyEntity entity = created ? new ImagingStudyEntity() : existing;
    if (created) {
      entity.id = UUID.randomUUID().toString();
      entity.studyInstanceUid = facts.uid();
      entity.siteId = site.id();
      entity.versionId = 1;
    } else {
      entity.versionId++;
    }
    study.setId(entity.id);
    study
        .getMeta()
        .setVersionId(Integer.toString(entity.versionId))
        .setLastUpdated(Date.from(now))
        .setSource(IdentifierSystems.site(site.id()));
    List<String> errors = validation.errors(study);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ErrorCode.INVALID_RESOURCE,
          "not valid FHIR R4: " + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
    }
    entity.patientId = patient.id;
    entity.started = facts.started();
    entity.lastUpdated = now;
    entity.contentSha256 = hash;
    entity.resourceJson = json.serialize(study);
    StoredStudyJson.Facts shown = shownFacts(entity.resourceJson);
    entity.accessionNumber = shown.accession();
    entity.description = shown.description();
    entity.numberOfSeries = shown.numberOfSeries();
    entity.numberOfInstances = shown.numberOfInstances();
    entity.modalities.clear();
    entity.modalities.addAll(facts.modalities());
    entity.modalitiesInStudy =
        entity.modalities.isEmpty()
            ? null
            : String.join("\\", new java.util.TreeSet<>(entity.modalities));
    if (created) {
      studies.persist(entity);
    }
    db.em().flush();
    return entity;
  }

  /** Read back from the stored JSON, so the columns say exactly what the resource says. */
  private static StoredStudyJson.Facts shownFacts(String resourceJson) {
    try {
      return StoredStudyJson.facts(resourceJson);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the serialised ImagingStudy could not be read back", e);
    }
  }
}
