package io.ponte.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared real DICOM samples, read in place (never copied into the repository). The folder is
 * {@code ../shared/dicom-samples} from the project root; a helper's git worktree ({@code
 * /work/wt/NAME}) sits one level deeper and finds it at {@code ../../shared/dicom-samples};
 * $PONTE_DICOM_SAMPLES, when set to a folder, wins. Tests that need the samples are skipped with a
 * visible notice when they are absent, and fail under CI (see {@link Peers}).
 */
public final class DicomSamples {

  private static final Path DIR = locate();

  private DicomSamples() {}

  private static Path locate() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("PONTE_DICOM_SAMPLES");
    if (env != null && !env.isBlank()) {
      candidates.add(Paths.get(env));
    }
    candidates.add(Paths.get("..", "shared", "dicom-samples"));
    candidates.add(Paths.get("..", "..", "shared", "dicom-samples"));
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  public static boolean present() {
    return DIR != null;
  }

  /** The sample folder, or skips the calling test with a notice (fails it under CI). */
  public static Path require() {
    Peers.require(present(), "the shared DICOM samples (../shared/dicom-samples)");
    return DIR;
  }

  /** One sample by name (skips the test when the folder is absent). */
  public static Path file(String name) {
    return require().resolve(name);
  }

  /** Every *.dcm sample, sorted by name (skips the test when the folder is absent). */
  public static List<Path> all() {
    try (Stream<Path> files = Files.list(require())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
