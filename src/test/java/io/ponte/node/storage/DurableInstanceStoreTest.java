package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.UID;
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

    static final IngestSource DIMSE = new IngestSource(IngestSource.Protocol.DIMSE, "MODALITY1", "127.0.0.1");
    static final IngestSource STOW = new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

    @Inject
    InstanceStore store;

    @Inject
    InstanceIndex index;

    @Inject
    NodeStorage storage;

    @TempDir
    Path dir;

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
        List<StoredInstance> results = race(8, i -> () -> store.storePart10(STOW, new ByteArrayInputStream(bytes)));
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
            variants.add(Files.readAllBytes(DicomTestFiles.ct(dir.resolve("v" + i), study, series, sop, 100_000, i)));
        }
        List<Object> outcomes = raceOutcomes(6, i -> () -> store.storePart10(STOW,
                new ByteArrayInputStream(variants.get(i))));
        List<StoredInstance> stored = outcomes.stream().filter(o -> o instanceof StoredInstance)
                .map(o -> (StoredInstance) o).toList();
        assertThat(stored).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o instanceof StoreException e
                && e.reason() == StoreException.Reason.CONFLICTING_DUPLICATE)).hasSize(5);
        InstanceIndex.Row row = index.find(sop).orElseThrow();
        assertThat(row.sha256()).isEqualTo(stored.get(0).sha256());
        assertThat(DicomTestFiles.sha256(storage.layout().resolve(row.cachePath()))).isEqualTo(row.sha256());
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
        List<StoredInstance> results = race(16, i -> () -> store.storePart10(STOW,
                new ByteArrayInputStream(instances.get(i))));
        assertThat(results).extracting(StoredInstance::duplicate).containsOnly(false);
        for (int i = 0; i < sops.size(); i++) {
            assertThat(index.find(sops.get(i)).orElseThrow().sha256()).isEqualTo(DicomTestFiles.sha256(instances.get(i)));
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
        assertThat(Arrays.copyOfRange(cachedBytes, cachedBytes.length - datasetBytes.length, cachedBytes.length))
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
            assertThatThrownBy(() -> store.storeDataset(DIMSE, UID.CTImageStorage, claimed,
                    UID.ExplicitVRLittleEndian, in))
                    .isInstanceOf(StoreException.class)
                    .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.INVALID_UID);
        }
        assertThat(index.find(sop)).isEmpty();
        assertThat(index.find(claimed)).isEmpty();
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesAnInvalidUidInTheCommandBeforeWritingAnything() {
        assertThatThrownBy(() -> store.storeDataset(DIMSE, UID.CTImageStorage, "1.2.3/../../etc",
                UID.ExplicitVRLittleEndian, new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.INVALID_UID);
    }

    @Test
    void removesOrphanedTempFilesOfACrash() throws Exception {
        Path orphan = storage.layout().newTempFile();
        Files.write(orphan, new byte[100]);
        assertThat(storage.cleanOrphanedTempFiles()).isGreaterThanOrEqualTo(1);
        assertThat(orphan).doesNotExist();
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
            futures.add(pool.submit(() -> {
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
