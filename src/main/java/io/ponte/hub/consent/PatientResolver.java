package io.ponte.hub.consent;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.identity.PatientEntity;
import io.ponte.hub.identity.PatientRepository;
import io.ponte.hub.identity.RegionalPersonEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the person a consent or an emergency grant is about, from whatever names them: a hub
 * Patient ({@code Patient/<id>}), a site's local identifier ({@code urn:ponte:site:<site>:mrn|MRN})
 * or the regional id ({@value IdentifierSystems#REGIONAL_ID}{@code |REG-…}).
 */
@ApplicationScoped
public class PatientResolver {

  @Inject PatientRepository patients;

  @Inject IdentityService identity;

  @Inject HubDatabase db;

  /**
   * Who was named: the hub Patient named (null when the regional id itself was), and the person.
   */
  public record Named(String patientId, Person person) {
    public String regionalId() {
      return person.regionalId();
    }
  }

  /** {@code Patient/<id>} or {@code system|value}; empty when it names no one the hub knows. */
  public Optional<Named> resolve(String reference) {
    if (reference == null || reference.isBlank()) {
      return Optional.empty();
    }
    if (reference.startsWith("Patient/")) {
      return byPatientId(reference.substring("Patient/".length()));
    }
    int bar = reference.indexOf('|');
    if (bar <= 0 || bar == reference.length() - 1) {
      return Optional.empty();
    }
    return byIdentifier(reference.substring(0, bar), reference.substring(bar + 1));
  }

  public Optional<Named> byIdentifier(String system, String value) {
    if (system == null || value == null) {
      return Optional.empty();
    }
    if (IdentifierSystems.REGIONAL_ID.equals(system)) {
      if (db.em().find(RegionalPersonEntity.class, value) == null) {
        return Optional.empty();
      }
      return Optional.of(new Named(null, personOfRegional(value)));
    }
    return patients.findByIdentifier(system, value).map(p -> named(p.id));
  }

  public Optional<Named> byPatientId(String id) {
    PatientEntity patient = patients.findById(id);
    return patient == null ? Optional.empty() : Optional.of(named(patient.id));
  }

  private Named named(String patientId) {
    return new Named(
        patientId,
        identity
            .regionalIdOf(patientId)
            .map(this::personOfRegional)
            .orElse(Person.unlinked(patientId)));
  }

  Person personOfRegional(String regionalId) {
    Set<String> ids = new LinkedHashSet<>(identity.patientIdsOf(regionalId));
    return new Person(regionalId, ids);
  }
}
