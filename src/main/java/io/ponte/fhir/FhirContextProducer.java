package io.ponte.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one R4 {@link FhirContext} of the process. Building it scans the model classes (hundreds of
 * milliseconds and megabytes), so it is created once and shared; it is thread-safe, parsers are
 * not.
 */
public class FhirContextProducer {

  private static final FhirContext R4 = FhirContext.forR4();

  @Produces
  @Singleton
  FhirContext fhirContext() {
    return R4;
  }

  /** For code outside CDI (tests, benchmarks) that must share the same context. */
  public static FhirContext r4() {
    return R4;
  }
}
