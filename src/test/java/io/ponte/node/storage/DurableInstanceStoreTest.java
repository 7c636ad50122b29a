package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.UID;
import io.ponte.node.index.InstanceIndex;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class DurableInstanceStoreTest {

  static final IngestSource DIMSE =
      new IngestSource(IngestSource.Protocol.DIMSE, "MODALITY1", "127.0.0.1");
  static final IngestSource STOW =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject
  @io.quarkus.agroal.DataSource("node")
  io.agroal.api.AgroalDataSource dataSource;

  @TempDir Path dir;

  String study;
  String series;
  ExecutorService pool;

  @BeforeEach
  void setUp() {
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private List<Path> incomingFiles() throws Exception {
    try (Stream<Path> files = Files.list(storage.layout().incoming())) {
      return files.toList();
    }
  }

  @Test
  void concurrentIdenticalStoresOfOneUidStoreItExactlyOnce() throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 200_000, 1);
    byte[] bytes = Files.readAllBytes(file);
    List<StoredInstance> results =
        race(8, i -> () -> store.storePart10(STOW, new ByteArrayInputStream(bytes)));
    assertThat(results).hasSize(8);
    assertThat(results.stream().filter(r -> !r.duplicate()).count()).isEqualTo(1);
    InstanceIndex.Row row = index.find(sop).orElseThrow();
    assertThat(DicomTestFiles.sha256(storage.layout().resolve(row.cachePath())))
        .isEqualTo(DicomTestFiles.sha256(bytes));
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void concurrentDifferentObjectsUnderOneUidKeepExactlyOneOfThem() throws Exception {
    String sop = DicomTestFiles.newUid();
    List<byte[]> variants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      variants.add(
          Files.readAllBytes(
              DicomTestFiles.ct(dir.resolve("v" + i), study, series, sop, 100_000, i)));
    }
    List<Object> outcomes =
        raceOutcomes(
            6, i -> () -> store.storePart10(STOW, new ByteArrayInputStream(variants.get(i))));
    List<StoredInstance> stored =
        outcomes.stream()
            .filter(o -> o instanceof StoredInstance)
            .map(o -> (StoredInstance) o)
            .toList();
    assertThat(stored).hasSize(1);
    assertThat(
            outcomes.stream()
                .filter(
                    o ->
                        o instanceof StoreException e
                            && e.reason() == StoreException.Reason.CONFLICTING_DUPLICATE))
        .hasSize(5);
    InstanceIndex.Row row = index.find(sop).orElseThrow();
    assertThat(row.sha256()).isEqualTo(stored.get(0).sha256());
    assertThat(DicomTestFiles.sha256(storage.layout().resolve(row.cachePath())))
        .isEqualTo(row.sha256());
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void concurrentStoresOfOneStudyAllLand() throws Exception {
    List<byte[]> instances = new ArrayList<>();
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String sop = DicomTestFiles.newUid();
      sops.add(sop);
      instances.add(Files.readAllBytes(DicomTestFiles.ct(dir, study, series, sop, 30_000, i)));
    }
    List<StoredInstance> results =
        race(16, i -> () -> store.storePart10(STOW, new ByteArrayInputStream(instances.get(i))));
    assertThat(results).extracting(StoredInstance::duplicate).containsOnly(false);
    for (int i = 0; i < sops.size(); i++) {
      assertThat(index.find(sops.get(i)).orElseThrow().sha256())
          .isEqualTo(DicomTestFiles.sha256(instances.get(i)));
    }
  }

  @Test
  void storesADimseDataSetBehindGeneratedFileMetaByteExact() throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 20_000, 3);
    Path dataset = dir.resolve("dataset.bin");
    DicomTestFiles.run("dcmconv", "-F", "+ti", file.toString(), dataset.toString());
    byte[] datasetBytes = Files.readAllBytes(dataset);

    StoredInstance stored;
    try (InputStream in = Files.newInputStream(dataset)) {
      stored = store.storeDataset(DIMSE, UID.CTImageStorage, sop, UID.ImplicitVRLittleEndian, in);
    }
    assertThat(stored.duplicate()).isFalse();
    assertThat(stored.transferSyntaxUid()).isEqualTo(UID.ImplicitVRLittleEndian);
    Path cached = storage.layout().resolve(index.find(sop).orElseThrow().cachePath());
    byte[] cachedBytes = Files.readAllBytes(cached);
    assertThat(
            Arrays.copyOfRange(
                cachedBytes, cachedBytes.length - datasetBytes.length, cachedBytes.length))
        .isEqualTo(datasetBytes);
    assertThat(new String(cachedBytes, 128, 4)).isEqualTo("DICM");
    assertThat(stored.sha256()).isEqualTo(DicomTestFiles.sha256(cachedBytes));
    // dcmtk reads what we wrote, and finds the meta we generated.
    Path copy = dir.resolve("check.dcm");
    Files.write(copy, cachedBytes);
    DicomTestFiles.run("dcmdump", "-q", "+E", copy.toString());
  }

  @Test
  void refusesADimseDataSetWhoseUidDisagreesWithTheCommand() throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 5_000, 3);
    Path dataset = dir.resolve("dataset.bin");
    DicomTestFiles.run("dcmconv", "-F", "+te", file.toString(), dataset.toString());
    String claimed = DicomTestFiles.newUid();
    try (InputStream in = Files.newInputStream(dataset)) {
      assertThatThrownBy(
              () ->
                  store.storeDataset(
                      DIMSE, UID.CTImageStorage, claimed, UID.ExplicitVRLittleEndian, in))
          .isInstanceOf(StoreException.class)
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(StoreException.Reason.INVALID_UID);
    }
    assertThat(index.find(sop)).isEmpty();
    assertThat(index.find(claimed)).isEmpty();
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void refusesAnInstanceWhoseSeriesIsIndexedUnderAnotherStudyLeavingNothingBehind()
      throws Exception {
    String first = DicomTestFiles.newUid();
    store.storePart10(
        STOW,
        new ByteArrayInputStream(
            Files.readAllBytes(DicomTestFiles.ct(dir, study, series, first, 5_000, 1))));
    String otherStudy = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir.resolve("other"), otherStudy, series, sop, 5_000, 2);
    try (InputStream in = Files.newInputStream(file)) {
      assertThatThrownBy(() -> store.storePart10(STOW, in))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("already belongs to study " + study)
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(StoreException.Reason.INVALID_DATA);
    }
    assertThat(index.find(sop)).isEmpty();
    assertThat(
            Files.exists(
                storage.layout().resolve(CacheLayout.relativePath(otherStudy, series, sop))))
        .isFalse();
    try (var c = dataSource.getConnection();
        var st = c.prepareStatement("select count(*) from study where study_instance_uid = ?")) {
      st.setString(1, otherStudy);
      try (var rs = st.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
    assertThat(index.find(first)).isPresent();
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void refusesAnInvalidUidInTheCommandBeforeWritingAnything() {
    assertThatThrownBy(
            () ->
                store.storeDataset(
                    DIMSE,
                    UID.CTImageStorage,
                    "1.2.3/../../etc",
                    UID.ExplicitVRLittleEndian,
                    new ByteArrayInputStream(new byte[10])))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(StoreException.Reason.INVALID_UID);
  }

  @Test
  void storesEveryReadableSampleByteExact() throws Exception {
    Path samples = DicomTestFiles.samples();
    List<String> names;
    try (Stream<Path> files = Files.list(samples)) {
      names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".dcm"))
              .filter(n -> !REFUSED_SAMPLES.contains(n))
              .sorted()
              .toList();
    }
    assertThat(names).hasSizeGreaterThan(15);
    for (String name : names) {
      Path copy =
          DicomTestFiles.sample(
              name, dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), DicomTestFiles.newUid());
      StoredInstance stored;
      try (InputStream in = Files.newInputStream(copy)) {
        stored = store.storePart10(STOW, in);
      } catch (StoreException e) {
        throw new AssertionError(name + " refused: " + e.getMessage(), e);
      }
      Path cached =
          storage.layout().resolve(index.find(stored.sopInstanceUid()).orElseThrow().cachePath());
      assertThat(DicomTestFiles.sha256(cached)).as(name).isEqualTo(DicomTestFiles.sha256(copy));
    }
    assertThat(incomingFiles()).isEmpty();
  }

  /**
   * Truncated files, files without File Meta Information (not Part 10, so not for STOW-RS), and a
   * file without any UIDs (nothing to index it under).
   */
  static final Map<String, StoreException.Reason> REFUSED =
      Map.of(
          "MR_truncated.dcm", StoreException.Reason.INVALID_DATA,
          "rtplan_truncated.dcm", StoreException.Reason.INVALID_DATA,
          "no_meta.dcm", StoreException.Reason.INVALID_DATA,
          "ExplVR_LitEndNoMeta.dcm", StoreException.Reason.INVALID_DATA,
          "meta_missing_tsyntax.dcm", StoreException.Reason.INVALID_UID,
          "priv_SQ.dcm", StoreException.Reason.INVALID_UID);

  static final java.util.Set<String> REFUSED_SAMPLES = REFUSED.keySet();

  @Test
  void refusesTruncatedAndMetalessSamplesLeavingNothingBehind() throws Exception {
    Path samples = DicomTestFiles.samples();
    for (Map.Entry<String, StoreException.Reason> refused : REFUSED.entrySet()) {
      try (InputStream in = Files.newInputStream(samples.resolve(refused.getKey()))) {
        assertThatThrownBy(() -> store.storePart10(STOW, in))
            .as(refused.getKey())
            .isInstanceOf(StoreException.class)
            .extracting(e -> ((StoreException) e).reason())
            .isEqualTo(refused.getValue());
      }
    }
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void refusesSamplesCutShortInsideTheirPixelData() throws Exception {
    for (String name :
        List.of(
            "JPEG2000.dcm",
            "MR_small_RLE.dcm",
            "MR_small_bigendian.dcm",
            "MR_small_implicit.dcm",
            "CT_small.dcm")) {
      String sop = DicomTestFiles.newUid();
      Path copy =
          DicomTestFiles.sample(name, dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), sop);
      byte[] bytes = Files.readAllBytes(copy);
      byte[] cut = Arrays.copyOf(bytes, bytes.length - 7);
      assertThatThrownBy(() -> store.storePart10(STOW, new ByteArrayInputStream(cut)))
          .as(name)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("truncated")
          .extracting(e -> ((StoreException) e).sopInstanceUid())
          .isEqualTo(sop);
      assertThat(index.find(sop)).as(name).isEmpty();
    }
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void indexesTheAttributesAndTheHeaderAsDicomJsonWithoutBulkData() throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 8_000, 0x1234);
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(STOW, in);
    }
    try (var c = dataSource.getConnection();
        var st =
            c.prepareStatement(
                """
                     select i.metadata::text, i.sop_class_uid, i.transfer_syntax_uid, i.rows_, i.bits_allocated,
                            s.patient_id, s.accession_number, s.study_date, r.modality, r.series_number
                     from instance i join study s on s.study_instance_uid = i.study_instance_uid
                     join series r on r.series_instance_uid = i.series_instance_uid
                     where i.sop_instance_uid = ?""")) {
      st.setString(1, sop);
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1));
        assertThat(json.at("/00100020/Value/0").asText()).isEqualTo("PAT-" + 0x1234);
        assertThat(json.at("/00100010/Value/0/Alphabetic").asText()).isEqualTo("Tester^Tina");
        assertThat(json.at("/00080018/Value/0").asText()).isEqualTo(sop);
        assertThat(json.has("7FE00010")).isFalse();
        assertThat(rs.getString(2)).isEqualTo(UID.CTImageStorage);
        assertThat(rs.getString(3)).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(rs.getInt(4)).isEqualTo(63);
        assertThat(rs.getInt(5)).isEqualTo(16);
        assertThat(rs.getString(6)).isEqualTo("PAT-" + 0x1234);
        assertThat(rs.getString(7)).isEqualTo("ACC" + 0x1234);
        assertThat(rs.getString(8)).isEqualTo("20260115");
        assertThat(rs.getString(9)).isEqualTo("CT");
        assertThat(rs.getInt(10)).isEqualTo(3);
      }
    }
  }

  private interface TaskFactory {
    Callable<StoredInstance> task(int i);
  }

  /** Runs n stores released at the same instant; every one must succeed. */
  private List<StoredInstance> race(int n, TaskFactory factory) throws Exception {
    List<StoredInstance> results = new ArrayList<>();
    for (Object o : raceOutcomes(n, factory)) {
      if (o instanceof Exception e) {
        throw e;
      }
      results.add((StoredInstance) o);
    }
    return results;
  }

  /** Runs n stores released at the same instant; returns each result or exception. */
  private List<Object> raceOutcomes(int n, TaskFactory factory) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StoredInstance>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Callable<StoredInstance> task = factory.task(i);
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return task.call();
              }));
    }
    start.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<StoredInstance> f : futures) {
      try {
        outcomes.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }
}
