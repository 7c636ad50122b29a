package io.ponte.hub.web.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.browser.BrowserScripts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * maria.patient in a real browser (Debian's chromium, headless, through playwright-core): signs in
 * on the real Keycloak login page, sees her studies from both hospitals, her sharing choices and
 * her access log, in Portuguese and then in English, on a desktop and a phone-sized screen. The
 * story is src/test/browser/specs/patient-portal.js; screenshots go to target/screenshots/.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PatientPortalBrowserTest {

  @TestHTTPResource("/")
  URL hub;

  @Test
  void mariaSeesHerPortalInPortugueseAndEnglish() throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before publishing anything
    MariaAtTwoHospitals maria = MariaAtTwoHospitals.publish();
    String input =
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username",
                    "maria.patient",
                    "descriptions",
                    List.of(maria.descriptionA(), maria.descriptionB()),
                    "sites",
                    List.of("Hospital A", "Hospital B"),
                    "accessedBy",
                    "Ana Costa"));
    BrowserScripts.run("patient-portal", hub.toString(), input);
    for (String page : List.of("studies", "sharing", "access-log")) {
      for (String lang : List.of("pt", "en")) {
        Assertions.assertThat(
                BrowserScripts.SCREENSHOTS.resolve("portal-" + page + "-" + lang + ".png"))
            .satisfies(p -> Assertions.assertThat(Files.size(p)).isPositive());
      }
    }
  }

  @Test
  void aClinicianIsShownTheDoorPolitely() throws Exception {
    BrowserScripts.run(
        "wrong-role",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username", "ana.clinic",
                    "path", "/portal",
                    "heading", "Acesso não permitido")));
  }
}
