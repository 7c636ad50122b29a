package io.ponte.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.DicomSamples;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dcmtk's storescu -> our listener -> node/storage's real InstanceStore (fsync'd cache, PostgreSQL
 * index, Azurite).
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class DimseStoreEndToEndTest {

  @Inject DimseListener listener;

  @TempDir Path tmp;

  private static Path samples() {
    return DicomSamples.require();
  }

  private static String run(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return "exit " + p.exitValue() + "\n" + out;
  }

  private String storescu(Path file) throws Exception {
    return run(
        "storescu",
        "-v",
        "-aet",
        "MR_SCANNER",
        "-aec",
        "PONTE",
        "127.0.0.1",
        Integer.toString(listener.port()),
        file.toString());
  }

  private static String[] indexRow(String sopInstanceUid) throws Exception {
    try (Connection c = TestDatabases.asOwner("ponte_node_test");
        PreparedStatement q =
            c.prepareStatement(
                "select sha256, transfer_syntax_uid, cache_path from instance where sop_instance_uid = ?")) {
      q.setString(1, sopInstanceUid);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
      }
    }
  }

  @Test
  void storescuToTheNodeIsIndexedAndCachedAndDuplicatesFollowTheContract() throws Exception {
    Path sample = samples().resolve("SC_rgb_small_odd.dcm");
    // A fresh SOP Instance UID per run, so that the shared test database does not already hold it.
    Path file = tmp.resolve("sc.dcm");
    Files.copy(sample, file);
    String uid =
        "2.25."
            + new java.math.BigInteger(1, UUID.randomUUID().toString().replace("-", "").getBytes())
                .mod(java.math.BigInteger.TEN.pow(30));
    assertThat(run("dcmodify", "-nb", "-m", "(0008,0018)=" + uid, file.toString()))
        .startsWith("exit 0");

    assertThat(storescu(file)).contains("Received Store Response (Success)");
    String[] row = indexRow(uid);
    assertThat(row).as("index row for " + uid).isNotNull();
    assertThat(row[1]).isEqualTo("1.2.840.10008.1.2.1");

    assertThat(storescu(file)).as("identical resend").contains("Received Store Response (Success)");
    assertThat(indexRow(uid)[0]).isEqualTo(row[0]);

    Path changed = tmp.resolve("changed.dcm");
    Files.copy(file, changed);
    assertThat(run("dcmodify", "-nb", "-m", "(0010,0010)=Someone^Else", changed.toString()))
        .startsWith("exit 0");
    assertThat(storescu(changed))
        .contains("Error: CannotUnderstand")
        .doesNotContain("Response (Success)");
    assertThat(indexRow(uid)[0]).as("original kept").isEqualTo(row[0]);
  }
}
