package io.ponte.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ponte dicom dump FILE}: the file's DICOM JSON (PS3.18 Annex F) on stdout; exit 2 on bad input. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print a DICOM Part 10 file as DICOM JSON (PS3.18 Annex F).")
public class DicomDumpCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the DICOM file")
    Path file;

    @Override
    public Integer call() {
        // TODO(codec): implemented with the codec.
        System.err.println("not implemented yet");
        return 2;
    }
}
