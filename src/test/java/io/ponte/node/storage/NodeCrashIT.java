package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged node killed with SIGKILL while a modality sends to it over DIMSE, then started
 * again: every acknowledged instance is held, and every indexed instance has its file (nothing
 * unacknowledged is visible). Then {@code ponte node verify} run as an operator runs it: exit 0
 * while everything is held, a repair from Blob, exit 1 and the instance named once one is lost.
 */
@DisplayName("kill -9 of a node mid-ingest, then `ponte node verify`")
class NodeCrashIT {

  private static final String SITE = "hospital-a";
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final IsolatedNode NODE = IsolatedNode.named(SITE, "crash_it");
  private static final Path CACHE = NODE.cache();

  @TempDir static Path dir;

  static List<byte[]> datasets = new ArrayList<>();
  static List<String> sops = new ArrayList<>();

  @BeforeAll
  static void makeInstances() throws IOException {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    for (int i = 0; i < 80; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(dir, study, series, sop, 120_000, i);
      byte[] part10 = Files.readAllBytes(file);
      DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10));
      in.readFileMetaInformation();
      int datasetAt = (int) in.position();
      datasets.add(java.util.Arrays.copyOfRange(part10, datasetAt, part10.length));
      sops.add(sop);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    NODE.drop();
  }

  private static PonteProcess.Builder node(int dimsePort) {
    return NODE.builder()
        .property("ponte.node.dimse.port", Integer.toString(dimsePort))
        .property("ponte.node.publish.enabled", "false")
        .property("ponte.node.storage.upload-interval", "1s")
        // One blob per instance, so that losing one blob loses one instance (below); a kill -9
        // with packing at ingest: IngestPackCrashIT.
        .env("PONTE_NODE_PACK_AT_INGEST", "false");
  }

  @Test
  void nothingAcknowledgedIsLostNothingUnacknowledgedIsVisibleAndVerifyTellsWhatIsHeld()
      throws Exception {
    int dimsePort = FreePorts.next();
    PonteProcess first = node(dimsePort).start();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Thread sender = new Thread(() -> send(dimsePort, acknowledged), "storescu");
    try {
      sender.start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (acknowledged.size() < 15 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      first.kill();
    } finally {
      first.kill();
      sender.join(30_000);
    }
    assertThat(acknowledged.size()).as("killed mid-stream").isBetween(15, sops.size() - 1);
    // Uploads the killed node had claimed are released by the next one at start-up: the await
    // below (60 s) is far shorter than their lease (10 minutes).

    PonteProcess second = node(FreePorts.next()).start();
    Map<String, String[]> rows;
    try {
      rows = awaitAllUploaded();
    } finally {
      second.close();
    }
    assertThat(rows.keySet())
        .as("every acknowledged instance is indexed")
        .containsAll(acknowledged);
    for (Map.Entry<String, String[]> row : rows.entrySet()) {
      Path file = CACHE.resolve(row.getValue()[0]);
      assertThat(file).as("indexed %s has its file", row.getKey()).exists();
      assertThat(DicomTestFiles.sha256(file)).isEqualTo(row.getValue()[1]);
    }
    try (Stream<Path> files = Files.walk(CACHE)) {
      List<Path> cached =
          files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".dcm")).toList();
      assertThat(cached).as("no cache file without its row").hasSize(rows.size());
    }
    try (Stream<Path> incoming = Files.list(CACHE.resolve(".incoming"))) {
      assertThat(incoming.toList()).as("no temp file left").isEmpty();
    }

    // As in a pod, where the serving process holds the management port the environment names: a
    // tool beside it must not try to serve it too.
    java.net.ServerSocket managementPortInUse =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    PonteProcess.Builder tool =
        node(FreePorts.next())
            .env("PONTE_MANAGEMENT_PORT", Integer.toString(managementPortInUse.getLocalPort()));
    PonteProcess.Builder.Run held;
    try {
      held = tool.run(Duration.ofMinutes(3), "node", "verify", "--site", SITE);
    } finally {
      managementPortInUse.close();
    }
    assertThat(held.exitCode()).as(held.output()).isZero();
    assertThat(held.output()).contains("ok " + rows.size() + ", repaired 0, missing 0");

    List<String> indexed = new ArrayList<>(rows.keySet());
    String cacheLost = indexed.get(0);
    String bothLost = indexed.get(1);
    Files.delete(CACHE.resolve(rows.get(cacheLost)[0]));
    Files.delete(CACHE.resolve(rows.get(bothLost)[0]));
    NODE.container().getBlobClient(rows.get(bothLost)[2]).delete();

    PonteProcess.Builder.Run lost =
        tool.run(Duration.ofMinutes(3), "node", "verify", "--site", SITE);
    assertThat(lost.exitCode()).as(lost.output()).isEqualTo(1);
    assertThat(lost.output())
        .contains("repaired: instance " + cacheLost)
        .contains("missing: instance " + bothLost)
        .contains("repaired 1, missing 1");
    assertThat(DicomTestFiles.sha256(CACHE.resolve(rows.get(cacheLost)[0])))
        .isEqualTo(rows.get(cacheLost)[1]);
  }

  /** One association, instance after instance, until the node dies or all are sent. */
  private static void send(int port, Set<String> acknowledged) {
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            port,
            "CRASHSCU",
            "PONTE",
            List.of(PresentationContext.proposed(1, CT, AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN)),
            16384,
            Duration.ofSeconds(10))) {
      for (int i = 0; i < sops.size(); i++) {
        InputStream in = new ByteArrayInputStream(datasets.get(i));
        if (a.store(CT, sops.get(i), AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN, in).isSuccess()) {
          acknowledged.add(sops.get(i));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the node was killed
    }
  }

  /** sop -> {cache path, sha256, blob name} once every row is UPLOADED (60 s at most). */
  private static Map<String, String[]> awaitAllUploaded() throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      Map<String, String[]> rows = new HashMap<>();
      boolean pending = false;
      try (Connection c = NODE.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select sop_instance_uid, cache_path, sha256, blob_name, blob_state from instance")) {
        while (rs.next()) {
          rows.put(
              rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
          pending |= !"UPLOADED".equals(rs.getString(5));
        }
      }
      if (!pending || System.currentTimeMillis() > deadline) {
        assertThat(pending).as("every instance uploaded within 60 s").isFalse();
        return rows;
      }
      Thread.sleep(500);
    }
  }
}
