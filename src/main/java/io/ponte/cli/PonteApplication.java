package io.ponte;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** The running server: waits until Quarkus is asked to shut down. */
public class PonteApplication implements QuarkusApplication {

  @Override
  public int run(String... args) {
    Quarkus.waitForExit();
    return 0;
  }
}
