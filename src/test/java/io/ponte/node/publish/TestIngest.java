package io.ponte.node.publish;

import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoredInstance;
import io.ponte.testing.DicomTestFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Takes instances in through the node's real InstanceStore (spool, fsync, index in one
 * transaction), as STOW-RS and C-STORE do: files written by dcmtk's dump2dcm, the patient set (or
 * removed) by dcmodify.
 */
@ApplicationScoped
public class TestIngest {

  private static final Path DIR = Paths.get("target", "publish-test-files");
  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "publish-test", "127.0.0.1");

  @Inject InstanceStore store;

  /** A CT instance of {@code patientId} (none when null); returns what the store says it stored. */
  public StoredInstance instance(
      String study, String series, String sop, String patientId, int number) throws Exception {
    Path file = DicomTestFiles.ct(DIR, study, series, sop, 512, number);
    try {
      if (patientId == null) {
        DicomTestFiles.run("dcmodify", "-nb", "-ea", "(0010,0020)", file.toString());
      } else {
        DicomTestFiles.run(
            "dcmodify",
            "-nb",
            "-m",
            "(0010,0020)=" + patientId,
            "-m",
            "(0020,0013)=" + number,
            file.toString());
      }
      try (InputStream in = Files.newInputStream(file)) {
        return store.storePart10(SOURCE, in);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
