package io.ponte.node.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.pack.PackingJob;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebuild-index} from packs, against the real PostgreSQL and Azurite: a series packed, a
 * series of one left single; the index and the cache lost; the rebuild reads the pack's own index
 * and indexes each of its instances at its range of the pack, the single one as before; every
 * instance then reads back byte for byte from Blob, each series has the Body Part Examined that
 * ingest indexed for it, and a rerun changes nothing.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
@DisplayName("rebuild-index from packs and single blobs")
class PackRebuildTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "pack-rebuild-test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject InstanceReader reader;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject PackingJob packing;

  @Inject IndexRebuild rebuild;

  @TempDir Path dir;

  /**
   * The rebuild indexes the whole container, and the packing job packs every quiet series: the
   * profile's index and container hold only what this test stores.
   */
  @BeforeEach
  void emptyIndexAndContainer() throws Exception {
    WholeIndexTestProfile.emptyIndex(index);
    try (Connection c =
            DriverManager.getConnection(
                TestDatabases.url(WholeIndexTestProfile.DATABASE), "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("delete from pack_superseded_blob");
      st.execute("delete from pack_journal");
    }
    BlobStore blobs = storage.blobStore();
    List<String> names = new ArrayList<>();
    for (ListedBlob blob : blobs.list()) {
      names.add(blob.name());
    }
    for (String name : names) {
      blobs.delete(name);
    }
  }

  @Test
  void packedInstancesAreIndexedAgainAtTheirRangeOfThePack() throws Exception {
    Map<String, byte[]> sent = new LinkedHashMap<>();
    String study = DicomTestFiles.newUid();
    String packedSeries = DicomTestFiles.newUid();
    String singleSeries = DicomTestFiles.newUid();
    // The packed series' instances disagree (the first names none): it keeps the least, ABDOMEN.
    String[] bodyParts = {null, "CHEST", "ABDOMEN", "CHEST"};
    String abdomen = null;
    for (int i = 0; i < 4; i++) {
      Map<String, byte[]> one = storeOne(study, packedSeries, i, bodyParts[i]);
      if ("ABDOMEN".equals(bodyParts[i])) {
        abdomen = one.keySet().iterator().next();
      }
      sent.putAll(one);
    }
    sent.putAll(storeOne(study, singleSeries, 9, "HEAD"));
    assertThat(bodyPart(packedSeries)).isEqualTo("ABDOMEN");
    assertThat(bodyPart(singleSeries)).isEqualTo("HEAD");
    while (uploader.uploadDue() > 0) {
      // until nothing is pending
    }
    PackingJob.Run packed = packing.run(Instant.now().plus(Duration.ofDays(30)), 10);
    assertThat(packed.instances()).isEqualTo(4);

    // The disaster: every index row and cache file gone.
    for (String sop : sent.keySet()) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      if (row.cachePath() != null) {
        Files.deleteIfExists(storage.layout().resolve(row.cachePath()));
      }
      index.forget(sop);
      if (sop.equals(abdomen)) {
        // Forgotten, an instance takes its body part with it: the last one left names the series.
        assertThat(bodyPart(packedSeries)).isEqualTo("CHEST");
      }
    }
    assertThat(bodyPart(packedSeries)).isNull();

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RebuildReport report = rebuild.run(2, new PrintStream(log, true, StandardCharsets.UTF_8));
    report.printText(new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.complete()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    assertThat(report.indexed()).isEqualTo(5);
    assertThat(report.packs()).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("of which in 1 packs");
    int inPack = 0;
    for (Map.Entry<String, byte[]> e : sent.entrySet()) {
      InstanceIndex.Row row = index.find(e.getKey()).orElseThrow();
      assertThat(row.cachePath()).isNull();
      assertThat(row.blobState()).isEqualTo(InstanceIndex.UPLOADED);
      if (row.packOffset() >= 0) {
        inPack++;
        assertThat(row.blobName()).startsWith(study + "/" + packedSeries + "/pack-");
      }
      try (InputStream in = reader.open(e.getKey()).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(e.getValue());
      }
    }
    assertThat(inPack).isEqualTo(4);
    assertThat(bodyPart(packedSeries)).isEqualTo("ABDOMEN");
    assertThat(bodyPart(singleSeries)).isEqualTo("HEAD");

    RebuildReport again = rebuild.run(2, new PrintStream(new ByteArrayOutputStream()));
    assertThat(again.indexed()).isZero();
    assertThat(again.alreadyIndexed()).isEqualTo(5);
  }

  private Map<String, byte[]> storeOne(String study, String series, int i, String bodyPart)
      throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 6_000 + 1_000 * i, i);
    if (bodyPart != null) {
      DicomTestFiles.run("dcmodify", "-nb", "-i", "(0018,0015)=" + bodyPart, file.toString());
    }
    byte[] bytes = Files.readAllBytes(file);
    store.storePart10(SOURCE, new ByteArrayInputStream(bytes));
    return Map.of(sop, bytes);
  }

  /** The series row's Body Part Examined, or null (also when the series is not indexed). */
  private static String bodyPart(String series) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                TestDatabases.url(WholeIndexTestProfile.DATABASE), "postgres", "");
        PreparedStatement st =
            c.prepareStatement(
                "select body_part_examined from series where series_instance_uid = ?")) {
      st.setString(1, series);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
