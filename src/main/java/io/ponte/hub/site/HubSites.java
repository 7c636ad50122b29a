package io.ponte.hub.site;

import io.ponte.fhir.IdentifierSystems;
import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * The sites the hub federates: each is an Organization with an Endpoint (the hub's own DICOMweb).
 */
@ConfigMapping(prefix = "ponte.hub")
public interface HubSites {

  /** Federated sites; a node's token {@code site} claim must name one of them to publish. */
  List<Site> sites();

  interface Site {
    /** Stable id, e.g. {@code hospital-a}; it is also the Organization's logical id. */
    String id();

    /** Display name, e.g. {@code Hospital A}. */
    String name();

    /**
     * The URI system of the site's local patient identifiers (MRN); default {@code
     * urn:ponte:site:<id>:mrn}. A published study's subject identifier must use it: that is how the
     * hub knows whose study it is.
     */
    Optional<String> patientIdentifierSystem();

    default String patientSystem() {
      return patientIdentifierSystem().orElse(IdentifierSystems.siteMrn(id()));
    }
  }

  default Optional<Site> site(String id) {
    return sites().stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The site whose patient identifier system this is, if any. */
  default Optional<Site> siteOfPatientSystem(String system) {
    return sites().stream().filter(s -> s.patientSystem().equals(system)).findFirst();
  }
}
