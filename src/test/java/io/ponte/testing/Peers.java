package io.ponte.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from outside the build: a peer tool (dcmtk, Orthanc, kubectl, dciodvfy), the
 * shared DICOM samples, the packaged jar. On a developer machine a missing peer skips the test with
 * a NOTICE on stderr; when {@code CI=true} it fails the test, so CI can never go green by skipping
 * interop.
 */
public final class Peers {

  private Peers() {}

  /** Whether this run is CI ({@code CI=true}, as CI services and {@code .ci/run} set it). */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Returns when {@code present}; otherwise fails the test under CI and skips it elsewhere.
   *
   * @param what the missing peer and how to get it, e.g. {@code "dcmtk's storescu (Debian: dcmtk)"}
   */
  public static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if (ci()) {
      Assertions.fail("CI=true and " + what + " is missing: under CI this test must run");
    }
    System.err.println("NOTICE: " + what + " is missing; skipping the test that needs it");
    Assumptions.abort(what + " is missing: test skipped (it fails when CI=true)");
  }
}
