package io.ponte.hub.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ConsentPathMatrix} in an opt-out region (the default). */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class ConsentPathMatrixOptOutTest extends ConsentPathMatrix {

  @Override
  boolean optIn() {
    return false;
  }
}
