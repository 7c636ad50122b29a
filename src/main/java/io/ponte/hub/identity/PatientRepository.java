package io.ponte.hub.identity;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PatientRepository implements PanacheRepositoryBase<PatientEntity, String> {

  public Optional<PatientEntity> findByIdentifier(String system, String value) {
    return find("identifierSystem = ?1 and identifierValue = ?2", system, value)
        .firstResultOptional();
  }
}
