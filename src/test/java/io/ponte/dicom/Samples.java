package io.ponte.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared real-world samples, read in place. The folder is {@code ../shared/dicom-samples} from the
 * project root; a git worktree one level deeper finds it at {@code ../../shared}; $PONTE_DICOM_SAMPLES
 * overrides both. Tests that need it are skipped with a visible notice when it is absent.
 */
final class Samples {

    private Samples() {
    }

    static Path dir() {
        String env = System.getenv("PONTE_DICOM_SAMPLES");
        if (env != null && Files.isDirectory(Paths.get(env))) {
            return Paths.get(env);
        }
        for (Path p : List.of(Paths.get("..", "shared", "dicom-samples"), Paths.get("..", "..", "shared", "dicom-samples"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The sample folder, or skips the calling test with a notice. */
    static Path requireDir() {
        Path d = dir();
        if (d == null) {
            System.out.println("NOTICE: ../shared/dicom-samples not found: sample-based DICOM tests skipped");
        }
        Assumptions.assumeTrue(d != null, "../shared/dicom-samples not found: sample-based tests skipped");
        return d;
    }

    /** Every *.dcm sample, sorted by name. */
    static List<Path> all() {
        Path d = requireDir();
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
