package io.ponte.hub.registry;

import io.ponte.fhir.FhirMediaTypes;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * {@code GET /fhir/metadata}: the CapabilityStatement, public (clients discover the API and its
 * security here).
 */
@Path("/hub/fhir/metadata")
@Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON})
public class MetadataResource {

  @Inject CapabilityStatementFactory capabilities;

  @GET
  @PermitAll
  public CapabilityStatement metadata() {
    return capabilities.build();
  }
}
