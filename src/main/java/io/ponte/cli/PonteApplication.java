package io.ponte.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The running server that {@code serve} starts: waits until Quarkus is asked to shut down. It lives
 * with the command that runs it, so that {@code io.ponte} (Main) and {@code cli} do not import each
 * other both ways.
 */
public class PonteApplication implements QuarkusApplication {

  @Override
  public int run(String... args) {
    Quarkus.waitForExit();
    return 0;
  }
}
