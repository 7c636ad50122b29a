package io.ponte.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo realm's published credentials (client secrets {@code <clientId>-secret}, the password
 * {@code ponte-demo}, Azurite's well-known account key) appear only where the demo is: the demo,
 * dev and test profiles of application.properties, {@code k8s/overlays/demo}, the realm and the
 * scripts that run the demo. Everything a production deployment reads has none.
 */
class DemoSecretsConfinedTest {

  static final Pattern DEMO_VALUE =
      Pattern.compile(
          "ponte-hub-secret\\b|ponte-node-[\\w${}.:-]*-secret\\b|[\\w-]+-ingest-secret\\b|ponte-demo\\b"
              + "|Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq");

  /** {@code %demo,dev,test.key=value}: the profiles a property is for, when it names any. */
  static final Pattern PROFILED = Pattern.compile("^%([\\w,-]+)\\..*");

  @Test
  void applicationPropertiesHasDemoValuesOnlyInTheDemoDevAndTestProfiles() throws IOException {
    List<String> leaks = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of("src/main/resources/application.properties"));
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.startsWith("#") || !DEMO_VALUE.matcher(line).find()) {
        continue;
      }
      Matcher profiled = PROFILED.matcher(line);
      boolean demoOnly =
          profiled.matches()
              && Arrays.stream(profiled.group(1).split(","))
                  .allMatch(ClientSecrets.DEMO_PROFILES::contains);
      if (!demoOnly) {
        leaks.add("application.properties:" + (n + 1) + ": " + line);
      }
    }
    assertThat(leaks).as("demo credentials outside the demo, dev and test profiles").isEmpty();
  }

  @Test
  void kubernetesManifestsOutsideTheDemoOverlayAndTheImageHaveNoDemoValue() throws IOException {
    List<String> leaks = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> k8s = Files.walk(Path.of("k8s"))) {
      k8s.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(Path.of("k8s", "overlays", "demo")))
          .forEach(files::add);
    }
    try (Stream<Path> container = Files.walk(Path.of("src", "main", "container"))) {
      container.filter(Files::isRegularFile).forEach(files::add);
    }
    assertThat(files).as("manifests found").anyMatch(p -> p.toString().endsWith(".yaml"));
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      for (int n = 0; n < lines.size(); n++) {
        if (DEMO_VALUE.matcher(lines.get(n)).find()) {
          leaks.add(file + ":" + (n + 1) + ": " + lines.get(n).strip());
        }
      }
    }
    assertThat(leaks).as("demo credentials outside k8s/overlays/demo").isEmpty();
  }

  @Test
  void thePatternRecognisesTheDemoRealmsSecrets() {
    assertThat(DEMO_VALUE.matcher("secret=${PONTE_HUB_CLIENT_SECRET:ponte-hub-secret}").find())
        .isTrue();
    assertThat(DEMO_VALUE.matcher("x=${A:ponte-node-${ponte.site:none}-secret}").find()).isTrue();
    assertThat(DEMO_VALUE.matcher("oidc-client-secret=ponte-node-hospital-a-secret").find())
        .isTrue();
    assertThat(DEMO_VALUE.matcher("key: oidc-client-secret").find()).isFalse();
    assertThat(DEMO_VALUE.matcher("name: ponte-hub-secrets").find()).isFalse();
  }
}
