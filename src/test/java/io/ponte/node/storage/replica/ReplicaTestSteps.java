package io.ponte.node.storage.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.NodeStorage;
import io.ponte.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/** Steps the replica suites share: uploads run until done, and what the evictor does. */
final class ReplicaTestSteps {

  private ReplicaTestSteps() {}

  /** Runs the upload worker until every one of {@code sops} is UPLOADED (30 s at most). */
  /**
   * Makes the file an outpatient study of 2000: kept 15 years by the profile's rule, due for
   * deletion.
   */
  static void expired(java.nio.file.Path file) throws Exception {
    io.ponte.testing.DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-i",
        "(0008,0020)=20000101",
        "-i",
        "(0038,0300)=OUTPATIENT",
        file.toString());
  }

  static void awaitUploaded(InstanceIndex index, BlobUploadWorker uploader, List<String> sops)
      throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    for (String sop : sops) {
      while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
        assertThat(System.currentTimeMillis()).as("%s uploaded", sop).isLessThan(deadline);
        uploader.uploadDue();
        Thread.sleep(100);
      }
    }
  }

  /** What the evictor leaves: no cache path, no file. */
  static void evict(NodeStorage storage, InstanceIndex index, String database, String sop)
      throws Exception {
    Path file = storage.layout().resolve(index.find(sop).orElseThrow().cachePath());
    try (Connection c = TestDatabases.asOwner(database);
        PreparedStatement st =
            c.prepareStatement(
                "update instance set cache_path = null where sop_instance_uid = ?")) {
      st.setString(1, sop);
      st.executeUpdate();
    }
    Files.delete(file);
  }
}
