package io.ponte.hub.web.clinician;

import static io.ponte.testing.HubFhir.identifier;
import static io.ponte.testing.HubFhir.published;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
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
 * ana.clinic in a real browser (Debian's chromium through playwright-core): signs in on Keycloak,
 * searches "goncalves" with the birth date, finds one person spelled two ways at two hospitals, and
 * sees both hospitals' priors with thumbnails and viewer links, in Portuguese and English, desktop
 * and phone. No node runs in this profile, so the thumbnails are the hub's placeholder for an
 * unreachable site (drawn images are unit-tested in ImageRendererTest). The story is
 * src/test/browser/specs/clinician-workspace.js; screenshots go to target/screenshots/.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ClinicianWorkspaceBrowserTest {

  @TestHTTPResource("/")
  URL hub;

  @Test
  void anaFindsMariasPriorsFromBothHospitals() throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before publishing anything
    String tag = Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "x");
    String mrnA = FhirStudies.mrn();
    String mrnB = FhirStudies.mrn();
    String descriptionA = "CT torax " + mrnA;
    String descriptionB = "RM joelho " + mrnB;
    published(
        "ponte-node-hospital-a",
        FhirStudies.study("hospital-a", mrnA)
            .name("Gonçalves" + tag, "Maria")
            .description(descriptionA));
    published(
        "ponte-node-hospital-b",
        FhirStudies.study("hospital-b", mrnB)
            .name("GONCALVES" + tag.toUpperCase(), "MARIA")
            .description(descriptionB)
            .modalities("MR"));
    HubFhir.link(
        "REG-B" + tag.toUpperCase(),
        List.of(identifier("hospital-a", mrnA), identifier("hospital-b", mrnB)));
    String input =
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username",
                    "ana.clinic",
                    "name",
                    "goncalves" + tag,
                    "birthDate",
                    "1970-01-02",
                    "descriptions",
                    List.of(descriptionA, descriptionB),
                    "sites",
                    List.of("Hospital A", "Hospital B"),
                    "unreachableSites",
                    true));
    BrowserScripts.run("clinician-workspace", hub.toString(), input);
    Assertions.assertThat(
            BrowserScripts.SCREENSHOTS.resolve("clinician-restore-unreachable-en-phone.png"))
        .exists();
    for (String name : List.of("clinician-results", "clinician-timeline")) {
      for (String lang : List.of("pt", "en")) {
        Assertions.assertThat(BrowserScripts.SCREENSHOTS.resolve(name + "-" + lang + ".png"))
            .satisfies(p -> Assertions.assertThat(Files.size(p)).isPositive());
      }
    }
  }
}
