package io.ponte.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What integration tests wait for at a running hub. */
public final class HubRegistry {

  private HubRegistry() {}

  /**
   * Waits (90 s at most) until {@code hub} lists {@code study} with {@code instances} instances,
   * i.e. until {@code node}'s publisher has registered all of it; the failure names both logs.
   */
  public static void awaitPublished(
      PonteProcess hub, PonteProcess node, String study, int instances)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> rows =
          given()
              .baseUri(hub.baseUrl())
              .auth()
              .oauth2(Tokens.user("bruno.hospa"))
              .accept("application/dicom+json")
              .queryParam("StudyInstanceUID", study)
              .get("/dicomweb/studies")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("$");
      if (rows.size() == 1 && rows.get(0).get("00201208") instanceof Map<?, ?> count) {
        Object value = ((List<?>) count.get("Value")).get(0);
        if (Integer.parseInt(value.toString()) == instances) {
          return;
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "study " + study + " not published; see " + node.log() + " and " + hub.log());
  }
}
