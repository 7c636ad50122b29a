package io.ponte.dicom.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared real DICOM samples ({@code ../shared/dicom-samples}, read in place, never copied). Tests that
 * need them are skipped, with a notice on stderr, when the folder is absent.
 */
final class DicomSamples {

    /**
     * {@code ../shared/dicom-samples} from the project root; a git worktree under {@code /work/wt/NAME} sits one
     * level deeper, so {@code ../../shared/dicom-samples} is tried next.
     */
    static final Path DIR = locate();

    /** Samples a conforming reader must reject (dcmtk rejects them too). */
    static final List<String> BROKEN = List.of("MR_truncated.dcm", "rtplan_truncated.dcm");

    private DicomSamples() {
    }

    private static Path locate() {
        Path first = Paths.get("..", "shared", "dicom-samples");
        Path second = Paths.get("..", "..", "shared", "dicom-samples");
        return Files.isDirectory(first) || !Files.isDirectory(second) ? first : second;
    }

    static boolean present() {
        return Files.isDirectory(DIR);
    }

    /** Skips the calling test, visibly, when the samples are not there. */
    static Path require() {
        if (!present()) {
            System.err.println("NOTICE: " + DIR.toAbsolutePath().normalize()
                    + " is absent; skipping the tests that read the shared DICOM samples");
        }
        Assumptions.assumeTrue(present(), "shared DICOM samples absent: " + DIR.toAbsolutePath().normalize());
        return DIR;
    }

    static Path file(String name) {
        return require().resolve(name);
    }

    /** Every *.dcm sample, sorted by name; empty when the folder is absent. */
    static List<Path> all() {
        if (!present()) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> readable() {
        return all().stream().filter(p -> !BROKEN.contains(p.getFileName().toString()))
                .collect(Collectors.toList());
    }
}
