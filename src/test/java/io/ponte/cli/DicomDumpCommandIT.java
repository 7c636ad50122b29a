package io.ponte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ponte.testing.DicomSamples;
import io.ponte.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ponte dicom dump} from the packaged application ({@code
 * target/quarkus-app/quarkus-run.jar}, or {@code -Dponte.app.jar}), as an operator runs it. The
 * datasources point at a closed port: were Quarkus booted, the command could not succeed, so
 * passing proves the dump runs without it.
 */
class DicomDumpCommandIT {

  static Path jar;

  @TempDir Path tmp;

  @BeforeAll
  static void findJar() {
    jar = Paths.get(System.getProperty("ponte.app.jar", "target/quarkus-app/quarkus-run.jar"));
    Peers.require(Files.exists(jar), "the packaged application " + jar + " (mvn package)");
  }

  record Run(int exit, byte[] out, String err) {}

  static Run ponte(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.datasource.hub.jdbc.url=jdbc:postgresql://127.0.0.1:9/none",
                "-Dquarkus.datasource.node.jdbc.url=jdbc:postgresql://127.0.0.1:9/none",
                "-jar",
                jar.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ponte " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
  }

  static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in;
              ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toByteArray();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  static Path sample(String name) {
    return DicomSamples.file(name);
  }

  @Test
  void dumpsASampleFromThePackagedJarWithoutBootingQuarkus() throws Exception {
    Run r = ponte("dicom", "dump", "--compact", sample("chrX1.dcm").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("Quarkus").doesNotContain("datasource");
    JsonNode json = new JsonMapper().readTree(r.out());
    assertThat(json.at("/00100010/Value/0/Ideographic").asText()).isEqualTo("王^小東");
  }

  @Test
  void exitsTwoWithTheByteOffsetOnATruncatedSample() throws Exception {
    Path file = sample("rtplan_truncated.dcm");
    Run r = ponte("dicom", "dump", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .matches(
            "ponte: " + java.util.regex.Pattern.quote(file.toString()) + ": at byte \\d+: .+\\R");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void exitsTwoOnAMissingFile() throws Exception {
    Path missing = tmp.resolve("missing.dcm");
    Run r = ponte("dicom", "dump", missing.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().trim()).isEqualTo("ponte: " + missing + ": no such file");
  }
}
