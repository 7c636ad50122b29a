package io.ponte.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;

/** Waits for what the hub serves from its nodes. */
public final class HubRetrieval {

  private HubRetrieval() {}

  /** Until {@code study} is published to the hub and its metadata answered through it (120 s). */
  public static void awaitRetrievable(String hubUrl, String study) throws InterruptedException {
    String token = Tokens.user("ana.clinic");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      int status =
          given()
              .baseUri(hubUrl)
              .auth()
              .oauth2(token)
              .get("/dicomweb/studies/" + study + "/metadata")
              .statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("study " + study + " was not retrievable through the hub in 120 s");
  }
}
