package io.ponte.hub.consent;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;

/** {@link ConsentPathMatrix} in an opt-in region. */
@QuarkusTest
@TestProfile(ConsentPathMatrixOptInTest.OptIn.class)
class ConsentPathMatrixOptInTest extends ConsentPathMatrix {

  public static class OptIn extends ConsentTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("ponte.hub.consent.policy", "opt-in");
      return config;
    }
  }

  @Override
  boolean optIn() {
    return true;
  }
}
