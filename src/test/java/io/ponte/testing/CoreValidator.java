package io.ponte.testing;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.fhir.R4Validator;

/**
 * HAPI's validator with all of R4 core, for tests that check what the hub returns (any resource
 * type). Built once per class loader: loading the core takes seconds.
 */
public final class CoreValidator {

  private static volatile R4Validator full;

  private CoreValidator() {}

  public static R4Validator full() {
    R4Validator v = full;
    if (v == null) {
      synchronized (CoreValidator.class) {
        v = full;
        if (v == null) {
          v = R4Validator.fullCore(FhirContextProducer.r4());
          full = v;
        }
      }
    }
    return v;
  }
}
