package io.ponte.node.storage.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.node.storage.IsolatedNode;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged node, packing at ingest, killed with SIGKILL while the pack of a series it has just
 * acknowledged over DIMSE is being written to Azurite, then started again: every acknowledged
 * instance is still held in the cache, unswitched; the restarted node releases the killed run's
 * claim at start-up (not after its lease), deletes its unfinished pack and packs the series again:
 * one pack, every instance read back from it byte for byte as indexed, nothing stray in the
 * container.
 */
@DisplayName("kill -9 of a node while it writes a pack at ingest, then the node again")
class IngestPackCrashIT {

  private static final String SITE = "hospital-a";
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final IsolatedNode NODE = IsolatedNode.named(SITE, "ingest_pack_it");

  /** 30 × 1 MB: one pack of 30 MB, long enough to write that the kill lands inside it. */
  private static final int INSTANCES = 30;

  @TempDir static Path scratch;

  static final String STUDY = DicomTestFiles.newUid();
  static final String SERIES = DicomTestFiles.newUid();
  static final List<String> sops = new ArrayList<>();
  static final List<byte[]> datasets = new ArrayList<>();

  @BeforeAll
  static void makeInstances() throws Exception {
    for (int i = 0; i < INSTANCES; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(scratch, STUDY, SERIES, sop, 1_000_000, i);
      byte[] part10 = Files.readAllBytes(file);
      DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10));
      in.readFileMetaInformation();
      datasets.add(Arrays.copyOfRange(part10, (int) in.position(), part10.length));
      sops.add(sop);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    NODE.drop();
  }

  @Test
  void aKilledPackAtIngestLeavesEveryAcknowledgedInstanceHeldAndTheNextStartUploadsThem()
      throws Exception {
    int dimsePort = FreePorts.next();
    PonteProcess first = node(dimsePort).start();
    try {
      assertThat(send(dimsePort)).as("every instance acknowledged").isEqualTo(INSTANCES);
    } finally {
      IsolatedNode.killWhen(
          first,
          () -> NODE.count("pack_journal") > 0,
          Duration.ofSeconds(60),
          Duration.ofMillis(5),
          "still packing");
    }
    assertThat(NODE.count("pack_journal"))
        .as("killed mid-pack: a pack journaled, unfinished")
        .isEqualTo(1);
    Map<String, String[]> before = instances();
    assertThat(before.keySet()).containsExactlyInAnyOrderElementsOf(sops);
    for (Map.Entry<String, String[]> row : before.entrySet()) {
      assertThat(row.getValue()[2]).as("%s not switched to the killed pack", row.getKey()).isNull();
      assertThat(row.getValue()[5]).as("%s not uploaded", row.getKey()).isEqualTo("PENDING");
      assertThat(DicomTestFiles.sha256(NODE.cache().resolve(row.getValue()[4])))
          .as("%s still held in the cache", row.getKey())
          .isEqualTo(row.getValue()[0]);
    }

    PonteProcess second = node(FreePorts.next()).start();
    Map<String, String[]> after;
    try {
      after = awaitUploaded();
    } finally {
      second.close();
    }
    assertThat(NODE.count("pack_journal")).as("the killed pack's journal row finished").isZero();
    Set<String> objects = new HashSet<>();
    for (String[] row : after.values()) {
      objects.add(row[1]);
      assertThat(row[2]).as("packed again after the restart, not uploaded on its own").isNotNull();
    }
    assertThat(objects).as("the series re-packed as one pack").hasSize(1);
    assertThat(NODE.blobNames())
        .as("the killed run's pack deleted, nothing else left")
        .containsExactlyInAnyOrderElementsOf(objects);
    for (Map.Entry<String, String[]> row : after.entrySet()) {
      String[] r = row.getValue();
      try (InputStream in = NODE.open(r[1], r[2], Long.parseLong(r[3]))) {
        assertThat(DicomTestFiles.sha256(in))
            .as("%s in its pack as the first node acknowledged it", row.getKey())
            .isEqualTo(r[0])
            .isEqualTo(before.get(row.getKey())[0]);
      }
    }
  }

  private static PonteProcess.Builder node(int dimsePort) {
    return NODE.builder()
        .property("ponte.node.dimse.port", Integer.toString(dimsePort))
        .property("ponte.node.publish.enabled", "false")
        .property("ponte.node.fixity.enabled", "false")
        .property("ponte.node.storage.pack.at-ingest.enabled", "true")
        .property("ponte.node.storage.pack.at-ingest.quiet-period", "1s")
        // Hold and lease as configured by default (60 s, 10 minutes): the restarted node releases
        // the killed run's claim at start-up rather than waiting it out.
        .property("ponte.node.storage.pack.at-ingest.interval", "1s");
  }

  /** One association, every instance; returns how many were acknowledged. */
  private static int send(int port) throws Exception {
    int acknowledged = 0;
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            port,
            "PACKSCU",
            "PONTE",
            List.of(PresentationContext.proposed(1, CT, AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN)),
            16384,
            Duration.ofSeconds(10))) {
      for (int i = 0; i < INSTANCES; i++) {
        InputStream in = new ByteArrayInputStream(datasets.get(i));
        if (a.store(CT, sops.get(i), AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN, in).isSuccess()) {
          acknowledged++;
        }
      }
    }
    return acknowledged;
  }

  /**
   * Every instance's row once all are UPLOADED (90 s at most: far less than the killed run's lease,
   * 10 minutes, and the hold, 60 s, would make it wait).
   */
  private static Map<String, String[]> awaitUploaded() throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      Map<String, String[]> rows = instances();
      boolean uploaded =
          rows.size() == INSTANCES && rows.values().stream().allMatch(r -> "UPLOADED".equals(r[5]));
      if (uploaded || System.currentTimeMillis() > deadline) {
        assertThat(uploaded).as("every instance uploaded within 90 s").isTrue();
        return rows;
      }
      Thread.sleep(500);
    }
  }

  /** {sha256, blob name, pack offset, size, cache path, blob state} by SOP Instance UID. */
  private static Map<String, String[]> instances() throws SQLException {
    return NODE.instances(
        "sha256", "blob_name", "pack_offset", "size_bytes", "cache_path", "blob_state");
  }
}
