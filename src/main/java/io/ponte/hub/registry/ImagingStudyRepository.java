package io.ponte.hub.registry;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ImagingStudyRepository implements PanacheRepositoryBase<ImagingStudyEntity, String> {

  public Optional<ImagingStudyEntity> findByUid(String studyInstanceUid) {
    return find("studyInstanceUid", studyInstanceUid).firstResultOptional();
  }

  /**
   * Where a study lives and whose it is, without loading the entity: a retrieve asks this for every
   * frame, and the entity carries the whole stored ImagingStudy (tens of KB for a large study) plus
   * Hibernate's snapshot of it.
   */
  public Optional<RegisteredStudy> locate(String studyInstanceUid) {
    return getEntityManager()
        .createQuery(
            "select new io.ponte.hub.registry.RegisteredStudy(s.id, s.studyInstanceUid, s.siteId,"
                + " s.patientId) from ImagingStudyEntity s where s.studyInstanceUid = :uid",
            RegisteredStudy.class)
        .setParameter("uid", studyInstanceUid)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }
}
