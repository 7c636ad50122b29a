package io.ponte.fhir;

import jakarta.ws.rs.core.MediaType;

/**
 * The FHIR JSON media types Ponte reads and writes (XML is not offered; the CapabilityStatement
 * says so).
 */
public final class FhirMediaTypes {

  public static final String FHIR_JSON = "application/fhir+json";
  public static final MediaType FHIR_JSON_TYPE = MediaType.valueOf(FHIR_JSON);

  private FhirMediaTypes() {}
}
