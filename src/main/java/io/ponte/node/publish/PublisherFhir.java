package io.ponte.node.publish;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * FHIR JSON for the publisher, on the process's one R4 context (io.ponte.fhir.FhirContextProducer).
 */
@ApplicationScoped
public class PublisherFhir {

  @Inject FhirContext context;

  /** Compact JSON; the same resource always gives the same bytes, which the outbox hashes. */
  public String encode(IBaseResource resource) {
    return context.newJsonParser().encodeResourceToString(resource);
  }
}
