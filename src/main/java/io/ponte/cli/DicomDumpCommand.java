package io.ponte.cli;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomParseException;
import io.ponte.dicom.DicomReadLimits;
import io.ponte.dicom.json.BulkDataMode;
import io.ponte.dicom.json.DicomJsonWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ponte dicom dump FILE}: the file's DICOM JSON (PS3.18 Annex F) on stdout; exit 2 on bad
 * input. Runs before and without Quarkus (see {@code io.ponte.Main}): it needs no database,
 * Keycloak or port.
 *
 * <p>Like dcmtk's {@code dcm2json} by default: the data set only (the File Meta Information group
 * is not part of a DICOM JSON data set; {@code --meta} adds it, as {@code dcm2json +m} does), bulk
 * data as InlineBinary, indented output. The file is read completely before anything is printed, so
 * bad input prints no partial JSON.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Print a DICOM Part 10 file as DICOM JSON (PS3.18 Annex F).",
    footer = {
      "",
      "Exit status: 0 printed; 2 the file is missing, unreadable or not valid DICOM"
          + " (stderr says \"ponte: FILE: at byte N: reason\"); 1 stdout could not be written."
    })
public class DicomDumpCommand implements Callable<Integer> {

  /** How bulk data is printed. */
  public enum BulkData {
    inline,
    uri,
    omit
  }

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "the DICOM file (Part 10, or a bare data set)")
  Path file;

  @Option(
      names = "--bulk-data",
      paramLabel = "MODE",
      defaultValue = "inline",
      description =
          "inline (base64 InlineBinary, the default, as dcm2json), uri (BulkDataURI), or omit "
              + "(leave bulk data elements out: metadata only)")
  BulkData bulkData;

  @Option(
      names = "--bulk-data-uri",
      paramLabel = "PREFIX",
      defaultValue = "bulkdata/",
      description =
          "with --bulk-data=uri: each BulkDataURI is PREFIX + the element path, e.g. "
              + "bulkdata/7FE00010 or bulkdata/00880200/0/7FE00010 (default: ${DEFAULT-VALUE})")
  String bulkDataUriPrefix;

  @Option(
      names = {"-m", "--meta"},
      description = "include the File Meta Information group (0002,xxxx)")
  boolean meta;

  @Option(names = "--compact", description = "no indentation or line breaks")
  boolean compact;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    Attributes dataset;
    try {
      dataset = read(err);
    } catch (DicomParseException e) {
      err.println("ponte: " + file + ": " + e.getMessage()); // "at byte N: reason"
      return 2;
    } catch (NoSuchFileException e) {
      err.println("ponte: " + file + ": no such file");
      return 2;
    } catch (AccessDeniedException e) {
      err.println("ponte: " + file + ": permission denied");
      return 2;
    } catch (IOException e) {
      err.println("ponte: " + file + ": cannot read: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // The codec refuses bad input with DicomParseException; anything else is still about this
      // input.
      err.println("ponte: " + file + ": cannot decode: " + e);
      return 2;
    }
    try {
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      DicomJsonWriter.Builder b = DicomJsonWriter.builder().pretty(!compact);
      switch (bulkData) {
        case uri -> b.bulkDataUris(element -> bulkDataUriPrefix + element.path());
        case omit -> b.bulkData(BulkDataMode.OMIT);
        default -> b.bulkData(BulkDataMode.INLINE);
      }
      try (DicomJsonWriter json = b.build(out)) {
        json.write(dataset);
      }
      out.write('\n');
      out.flush();
      return System.out.checkError() ? 1 : 0;
    } catch (IOException e) {
      err.println("ponte: cannot write the JSON: " + e.getMessage());
      return 1;
    }
  }

  private Attributes read(PrintStream err) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("is a directory");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        // The user's own file, read on their command: no server memory bound to defend.
        DicomInputStream din = new DicomInputStream(in, DicomReadLimits.UNLIMITED)) {
      Attributes fmi = din.readFileMetaInformation();
      Attributes dataset = din.readDataset();
      for (String warning : din.warnings()) {
        err.println("ponte: " + file + ": warning: " + warning);
      }
      for (String warning : dataset.specificCharacterSet().warnings()) {
        err.println("ponte: " + file + ": warning: " + warning);
      }
      if (meta && fmi != null) {
        dataset.addAll(fmi);
      }
      return dataset;
    }
  }
}
