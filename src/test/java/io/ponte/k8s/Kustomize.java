package io.ponte.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization the way {@code kubectl apply -k} would, offline, and hands back the
 * objects as JSON trees. {@code kubectl kustomize} prints YAML; an empty local merge patch ({@code
 * kubectl patch --local -o json}) turns it into JSON without a cluster, so the test needs no YAML
 * library and parses exactly what kubectl parsed.
 */
final class Kustomize {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 120;

  private final Path kubectl;

  private Kustomize(Path kubectl) {
    this.kubectl = kubectl;
  }

  /** kubectl from $PONTE_KUBECTL or the PATH; empty when it is not installed. */
  static Optional<Kustomize> find() {
    String override = System.getenv("PONTE_KUBECTL");
    if (override != null && !override.isBlank()) {
      return Optional.of(new Kustomize(Path.of(override)));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(new Kustomize(candidate));
      }
    }
    return Optional.empty();
  }

  List<JsonNode> render(Path kustomization) throws IOException, InterruptedException {
    Path yaml = Files.createTempFile("ponte-kustomize", ".yaml");
    try {
      run(yaml, kubectl.toString(), "kustomize", kustomization.toString());
      String json =
          run(
              null,
              kubectl.toString(),
              "patch",
              "--local",
              "-f",
              yaml.toString(),
              "--type",
              "merge",
              "-p",
              "{}",
              "-o",
              "json");
      List<JsonNode> objects = new ArrayList<>();
      // kubectl prints one JSON document per object, one after the other.
      JSON.readerFor(JsonNode.class)
          .readValues(json)
          .forEachRemaining(o -> objects.add((JsonNode) o));
      return objects;
    } finally {
      Files.deleteIfExists(yaml);
    }
  }

  /** Runs kubectl with no cluster configured, so that nothing can ever reach a real API server. */
  private static String run(Path stdoutFile, String... command)
      throws IOException, InterruptedException {
    Path out = stdoutFile != null ? stdoutFile : Files.createTempFile("ponte-kubectl", ".out");
    Path err = Files.createTempFile("ponte-kubectl", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("KUBECONFIG", "/dev/null");
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed ("
                + process.exitValue()
                + "): "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdoutFile != null ? null : Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err);
      if (stdoutFile == null) {
        Files.deleteIfExists(out);
      }
    }
  }
}
