package io.ponte.node.storage;

import io.ponte.node.index.InstanceIndex;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.TestDatabases;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@link NodeStorageTestProfile} on a database of its own, for the tests that walk the whole index
 * (StoreVerifierTest, FixityJobTest, MigrationTest, CrashRecoveryTest, PackingJobTest,
 * PackRebuildTest, RetentionTest): each of their tests starts from an empty index ({@link
 * #emptyIndex}), and uploads, releases of ended runs' claims and retention runs happen only when a
 * test asks (the first scheduled run waits an hour). One profile for them all rather than one each:
 * each distinct profile costs the suite one more Quarkus build and start.
 */
public class WholeIndexTestProfile extends NodeStorageTestProfile {

  public static final String DATABASE = "ponte_node_whole_index_test";

  @Override
  protected String suffix() {
    return "-whole-index";
  }

  @Override
  protected Map<String, String> extra() {
    return Map.of(
        "quarkus.datasource.node.jdbc.url",
        TestDatabases.url(DATABASE),
        "ponte.node.storage.upload-interval",
        "1h",
        // Claims of ended runs released only when a test asks (PackingJobTest).
        "ponte.node.storage.claim-release-interval",
        "1h",
        // Fewer than the series PackingJobTest packs at once, to see the bound.
        "ponte.node.storage.pack.at-ingest.concurrency",
        "2",
        // Retention runs only when RetentionTest asks, with an outpatient rule of the site.
        "ponte.node.retention.interval",
        "1h",
        "ponte.node.retention.rules[2].attribute",
        "00380300",
        "ponte.node.retention.rules[2].values",
        "outpatient, Consulta Externa",
        "ponte.node.retention.rules[2].class",
        "OUTPATIENT");
  }

  /** Forgets every indexed instance, so that a test sees only what it stores itself. */
  public static void emptyIndex(InstanceIndex index) throws SQLException {
    for (List<InstanceIndex.Row> page = index.page(null, 500, false);
        !page.isEmpty();
        page = index.page(null, 500, false)) {
      for (InstanceIndex.Row row : page) {
        index.forget(row.sopInstanceUid());
      }
    }
  }
}
