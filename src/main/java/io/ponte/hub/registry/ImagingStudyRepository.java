package io.ponte.hub.registry;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ImagingStudyRepository implements PanacheRepositoryBase<ImagingStudyEntity, String> {

  public Optional<ImagingStudyEntity> findByUid(String studyInstanceUid) {
    return find("studyInstanceUid", studyInstanceUid).firstResultOptional();
  }
}
