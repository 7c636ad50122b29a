package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.consent.SearchScope;
import io.ponte.hub.fhir.FhirJson;
import io.ponte.hub.fhir.SearchBundles;
import io.ponte.hub.fhir.SearchParams;
import io.ponte.hub.identity.IdentityService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * Clinicians and patients read and search the registry; every read and search is audited, refusals
 * included.
 */
@ApplicationScoped
public class ImagingStudyReader {

  @Inject RegistryAccess access;

  @Inject ImagingStudyRepository studies;

  @Inject IdentityService identity;

  @Inject FhirJson json;

  @Inject SearchBundles bundles;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  @Inject ConsentEnforcement consent;
  @Inject SiteDirectory directory;

  static final String ENDPOINT_INCLUDE = "ImagingStudy:endpoint";

  /**
   * Bundle.total is exact up to this many matches past the offset, and left out beyond (it is
   * optional in FHIR).
   */
  static final int TOTAL_CAP = 1000;

  private static int bind(Query q, List<Object> args) {
    int i = 1;
    for (Object arg : args) {
      q.setParameter(i++, arg);
    }
    return i;
  }

  @Transactional
  public ImagingStudy read(String id) {
    return audit.around(
        audit.about(AuditAction.READ, "ImagingStudy").query("ImagingStudy/" + id),
        record -> {
          RegistryAccess.StudyReader reader = access.requireStudyReader();
          ImagingStudyEntity entity = studies.findById(id);
          if (entity == null) {
            throw new ProblemException(ErrorCode.NOT_FOUND, "no ImagingStudy/" + id);
          }
          record.studyUid(entity.studyInstanceUid).patientId(entity.patientId);
          if (reader.restricted()
              && !identity.patientIdsOf(reader.patientRegionalId()).contains(entity.patientId)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "this study is not one of yours");
          }
          consent.requireAccess(entity.patientId, entity.siteId, entity.studyInstanceUid, record);
          ImagingStudy study = json.parse(ImagingStudy.class, entity.resourceJson);
          return study;
        });
  }

  @Transactional
  public Bundle search(MultivaluedMap<String, String> query) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "ImagingStudy"), record -> search(query, record));
  }

  private Bundle search(MultivaluedMap<String, String> query, AccessAudited.Builder record) {
    RegistryAccess.StudyReader reader = access.requireStudyReader();
    SearchParams params = SearchParams.of(query, ImagingStudyQuery.SUPPORTED);
    record.query(params.describe());
    boolean includeEndpoints = includesEndpoints(params);
    if (reader.restricted()) {
      requireOwnPatients(params, reader);
    }
    for (String token : params.all("patient.identifier")) {
      record.patientIdentifier(token);
    }
    int count = params.count();
    int offset = params.offset();
    // Consent is part of the search's SQL: _count, _offset and the total count visible studies.
    SearchScope scope = consent.scope();
    ImagingStudyQuery sql = ImagingStudyQuery.of(params, reader).visibleTo(scope);
    List<ImagingStudy> page = new ArrayList<>();
    boolean more = false;
    if (count > 0) {
      Query q = db.em().createNativeQuery(sql.pageSql());
      int i = bind(q, sql.args);
      q.setParameter(i++, count + 1);
      q.setParameter(i, offset);
      @SuppressWarnings("unchecked")
      List<Object[]> rows = q.getResultList();
      more = rows.size() > count;
      rows = rows.subList(0, Math.min(count, rows.size()));
      consent.shown(
          scope,
          rows.stream()
              .map(r -> new ConsentDecisions.Subject((String) r[1], (String) r[2], (String) r[4]))
              .toList());
      for (Object[] row : rows) {
        record.studyUid((String) row[1]).patientId((String) row[2]);
        page.add(json.parse(ImagingStudy.class, (String) row[3]));
      }
    }
    Long total;
    if (count > 0 && !more && (offset == 0 || !page.isEmpty())) {
      total = (long) offset + page.size(); // the last page: no count query needed
    } else {
      Query q = db.em().createNativeQuery(sql.cappedCountSql());
      long cap = (long) offset + TOTAL_CAP;
      q.setParameter(bind(q, sql.args), cap + 1);
      long counted = ((Number) q.getSingleResult()).longValue();
      total = counted > cap ? null : counted;
    }
    record.detail(
        page.size() + " of " + (total == null ? "more than " + (offset + TOTAL_CAP) : total));
    Bundle bundle = bundles.searchset("ImagingStudy", params, page, total, more, count, offset);
    if (withheld(params, reader, scope)) {
      // Says that a filter applied, never what or how many: the total counts visible studies.
      ConsentEnforcement.warnFiltered(bundle);
      record.detail(page.size() + " shown; some withheld by consent");
    }
    if (includeEndpoints) {
      includeEndpoints(bundle, page);
    }
    return bundle;
  }

  /** Whether the search matches any study {@code scope} leaves out. */
  private boolean withheld(
      SearchParams params, RegistryAccess.StudyReader reader, SearchScope scope) {
    if (!scope.mayWithhold()) {
      return false;
    }
    ImagingStudyQuery sql = ImagingStudyQuery.of(params, reader);
    Query q = db.em().createNativeQuery(sql.withheldSql(scope));
    bind(q, sql.args);
    return (Boolean) q.getSingleResult();
  }

  /** {@code _include=ImagingStudy:endpoint} is the one include offered (SMART Imaging Access). */
  private static boolean includesEndpoints(SearchParams params) {
    for (String value : params.all("_include")) {
      if (!value.equals(ENDPOINT_INCLUDE)) {
        throw new ProblemException(
            ErrorCode.BAD_REQUEST,
            "unsupported _include '" + value + "'; supported: " + ENDPOINT_INCLUDE);
      }
    }
    return params.has("_include");
  }

  /**
   * A caller with patient context (a patient's token) naming another person's Patient is refused,
   * not answered with an empty page (SMART Imaging Access): an empty page would read as "no
   * studies".
   */
  private void requireOwnPatients(SearchParams params, RegistryAccess.StudyReader reader) {
    if (!params.has("patient")) {
      return;
    }
    java.util.Set<String> own =
        new java.util.HashSet<>(identity.patientIdsOf(reader.patientRegionalId()));
    for (String value : params.all("patient")) {
      for (String id : SearchParams.orValues(value)) {
        String bare = id.startsWith("Patient/") ? id.substring("Patient/".length()) : id;
        if (!own.contains(bare)) {
          throw new ProblemException(
              ErrorCode.FORBIDDEN, "Patient/" + bare + " is not in this token's patient context");
        }
      }
    }
  }

  /** Each distinct Endpoint the page's studies reference, once, as an include entry. */
  private void includeEndpoints(Bundle bundle, List<ImagingStudy> page) {
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (ImagingStudy study : page) {
      for (org.hl7.fhir.r4.model.Reference ref : study.getEndpoint()) {
        String reference = ref.getReference();
        if (reference != null && reference.startsWith("Endpoint/")) {
          seen.add(reference.substring("Endpoint/".length()));
        }
      }
    }
    for (String id : seen) {
      directory
          .endpoint(id)
          .ifPresent(
              endpoint ->
                  bundle
                      .addEntry()
                      .setFullUrl(directory.fhirBase() + "/Endpoint/" + id)
                      .setResource(endpoint)
                      .getSearch()
                      .setMode(Bundle.SearchEntryMode.INCLUDE));
    }
  }
}
