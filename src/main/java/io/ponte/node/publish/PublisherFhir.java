package io.ponte.node.publish;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** FHIR JSON for the publisher, on the process's one R4 context (building a context takes seconds). */
@ApplicationScoped
public class PublisherFhir {

    private final FhirContext context = FhirContext.forR4Cached();

    /** Compact JSON; the same resource always gives the same bytes, which the outbox hashes. */
    public String encode(IBaseResource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }
}
