package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.FhirJson;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.identity.IdentityService;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;

/** Clinicians and patients read and search the registry; every read and search is audited, refusals included. */
@ApplicationScoped
public class ImagingStudyReader {

    @Inject
    RegistryAccess access;

    @Inject
    ImagingStudyRepository studies;

    @Inject
    IdentityService identity;

    @Inject
    FhirJson json;

    @Inject
    SearchBundles bundles;

    @Inject
    AuditTrail audit;

    @Inject
    @PersistenceUnit("hub")
    EntityManager em;

    @Transactional
    public ImagingStudy read(String id) {
        AccessAudited.Builder record = audit.about(AuditAction.READ, "ImagingStudy").query("ImagingStudy/" + id);
        try {
            RegistryAccess.StudyReader reader = access.requireStudyReader();
            ImagingStudyEntity entity = studies.findById(id);
            if (entity == null) {
                throw new ProblemException(ErrorCode.NOT_FOUND, "no ImagingStudy/" + id);
            }
            record.studyUid(entity.studyInstanceUid).patientId(entity.patientId);
            if (reader.restricted() && !identity.patientIdsOf(reader.patientRegionalId()).contains(entity.patientId)) {
                throw new ProblemException(ErrorCode.FORBIDDEN, "this study is not one of yours");
            }
            ImagingStudy study = json.parse(ImagingStudy.class, entity.resourceJson);
            audit.succeeded(record);
            return study;
        } catch (ProblemException e) {
            audit.refused(record, e);
            throw e;
        }
    }

    @Transactional
    public Bundle search(MultivaluedMap<String, String> query) {
        AccessAudited.Builder record = audit.about(AuditAction.SEARCH, "ImagingStudy");
        try {
            RegistryAccess.StudyReader reader = access.requireStudyReader();
            SearchParams params = SearchParams.of(query, ImagingStudyQuery.SUPPORTED);
            record.query(params.describe());
            for (String token : params.all("patient.identifier")) {
                record.patientIdentifier(token);
            }
            int count = params.count();
            int offset = params.offset();
            ImagingStudyQuery sql = ImagingStudyQuery.of(params, reader);
            List<ImagingStudy> page = new ArrayList<>();
            long total = 0;
            if (count > 0) {
                Query q = em.createNativeQuery(sql.pageSql());
                int i = 1;
                for (Object arg : sql.args) {
                    q.setParameter(i++, arg);
                }
                q.setParameter(i++, count);
                q.setParameter(i, offset);
                @SuppressWarnings("unchecked")
                List<Object[]> rows = q.getResultList();
                for (Object[] row : rows) {
                    record.studyUid((String) row[1]).patientId((String) row[2]);
                    page.add(json.parse(ImagingStudy.class, (String) row[3]));
                    total = ((Number) row[4]).longValue();
                }
            }
            if (page.isEmpty() && (offset > 0 || count == 0)) {
                Query q = em.createNativeQuery(sql.countSql());
                int i = 1;
                for (Object arg : sql.args) {
                    q.setParameter(i++, arg);
                }
                total = ((Number) q.getSingleResult()).longValue();
            }
            record.detail(page.size() + " of " + total);
            Bundle bundle = bundles.searchset("ImagingStudy", params, page, total, count, offset);
            audit.succeeded(record);
            return bundle;
        } catch (ProblemException e) {
            audit.refused(record, e);
            throw e;
        }
    }
}
