package io.ponte.node.migrate;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.PonteProcess;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Not a test: {@code ponte migrate} against a plain one-blob-per-file upload with the same Azure
 * SDK, in the same run, into the same Azurite. Generates {@code files} CT instances (default
 * 20,000) whose sizes are log-uniform between 2 KB and 1 MB (seeded), uploads them once with a
 * plain loop ({@code BlobClient.uploadFromFile}, one thread, then {@code workers} threads), then
 * once as big blobs read back (Azurite's own cost for the bytes: the ceiling for any migration into
 * it on these cores), then runs the packaged {@code ponte migrate} on the same tree into a fresh
 * node database, cache and container, and prints files/s and MB/s for each, the objects each left
 * in Blob and the load average before and after. A fourth argument lists the plain uploads' thread
 * counts (default {@code 1,workers}). See docs/performance.md for how to run it.
 */
public final class MigrateBenchmark {

  private static final long MIN = 2 * 1024;
  private static final long MAX = 1024 * 1024;

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path work = Paths.get(args.length > 2 ? args[2] : "target/migrate-bench").toAbsolutePath();
    List<Integer> plainThreads =
        Stream.of((args.length > 3 ? args[3] : "1," + workers).split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    System.out.println("load average at start: " + loadAverage());
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path tree = work.resolve("tree-" + files);
    long bytes = generate(tree, files);
    System.out.printf(Locale.ROOT, "tree: %d files, %.1f MB in %s%n", files, bytes / 1e6, tree);
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(tree)) {
      paths = walk.filter(Files::isRegularFile).sorted().toList();
    }

    for (int threads : plainThreads) {
      BlobContainerClient baseline = container("ponte-bench-plain" + threads + "-" + run);
      try {
        double plain = plainUpload(baseline, paths, threads);
        print("plain upload, " + threads + " thread(s)", files, bytes, plain);
        System.out.println("  objects in Blob: " + objects(baseline));
      } finally {
        baseline.deleteIfExists();
      }
    }

    // What no migration into this Azurite can beat: the tree's bytes and nothing else, as 32 MB
    // blobs of 8 MiB blocks with their MD5 (as packs go up), each read back once (as packs are
    // verified). No parse, hash, index or cache: Azurite's own cost per byte, on the same cores.
    BlobContainerClient ceiling = container("ponte-bench-ceiling-" + run);
    try {
      double big = bigBlobUpload(ceiling, paths, workers);
      print("ceiling: same bytes as 32 MB blobs, read back", files, bytes, big);
      System.out.println("  objects in Blob: " + objects(ceiling));
    } finally {
      ceiling.deleteIfExists();
    }

    String container = "ponte-bench-migrate-" + run;
    Path report = work.resolve("report-" + run + ".json");
    long start = System.nanoTime();
    PonteProcess.Builder node =
        PonteProcess.node("hospital-a", "ponte_node_migrate_bench_" + run)
            .property("ponte.node.storage.blob-container", container)
            .env("PONTE_NODE_CACHE_DIR", work.resolve("cache-" + run).toString());
    // -Dbench.jvmArgs="..." adds options to the migrating JVM (e.g. a JFR recording).
    for (String option : System.getProperty("bench.jvmArgs", "").trim().split("\\s+")) {
      if (!option.isEmpty()) {
        node.jvmOption(option);
      }
    }
    PonteProcess.Builder.Run migrate =
        node.run(
            Duration.ofHours(6),
            "migrate",
            "--site",
            "hospital-a",
            "--from",
            tree.toString(),
            "--workers",
            Integer.toString(workers),
            "--report",
            report.toString(),
            "--progress-interval",
            "30");
    double wall = (System.nanoTime() - start) / 1e9;
    System.out.println(migrate.output());
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    double inRun = r.get("durationSeconds").asDouble();
    print("ponte migrate, " + workers + " workers (run)", files, bytes, inRun);
    print("ponte migrate, " + workers + " workers (with JVM start)", files, bytes, wall);
    System.out.println(
        "  objects in Blob: "
            + objects(container(container))
            + " (packs "
            + r.get("packs").asLong()
            + " holding "
            + r.get("packedInstances").asLong()
            + " instances)");
    System.out.println("load average at end: " + loadAverage());
    container(container).deleteIfExists();
    System.out.println(
        "the node database ponte_node_migrate_bench_"
            + run
            + "* and "
            + work
            + " are left for inspection; drop/delete them when done");
  }

  private static long objects(BlobContainerClient container) {
    return container.listBlobs().stream().count();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void print(String what, int files, long bytes, double seconds) {
    System.out.printf(
        Locale.ROOT,
        "%-44s %8.1f s  %8.1f files/s  %7.1f MB/s%n",
        what,
        seconds,
        files / seconds,
        bytes / 1e6 / seconds);
  }

  private static BlobContainerClient container(String name) {
    BlobContainerClient c =
        new BlobServiceClientBuilder()
            .connectionString(NodeStorageConfig.AZURITE)
            .buildClient()
            .getBlobContainerClient(name);
    c.createIfNotExists();
    return c;
  }

  /** One blob per file, named by its path, as a copy script would do it. */
  private static double plainUpload(BlobContainerClient container, List<Path> paths, int threads)
      throws Exception {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      Path root = paths.get(0).getParent().getParent();
      for (Path p : paths) {
        done.add(
            pool.submit(
                () -> {
                  container
                      .getBlobClient(root.relativize(p).toString())
                      .uploadFromFile(p.toString(), true);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static final int BLOCK = 8 * 1024 * 1024;
  private static final long BIG_BLOB = 32L * 1000 * 1000;

  /**
   * The files' bytes in order, cut into blobs of about {@link #BIG_BLOB}, {@code threads} blobs at
   * once, each staged in {@link #BLOCK} blocks with their Content-MD5, committed, then read back
   * whole and hashed.
   */
  private static double bigBlobUpload(BlobContainerClient container, List<Path> paths, int threads)
      throws Exception {
    List<List<Path>> groups = new ArrayList<>();
    List<Path> group = new ArrayList<>();
    long size = 0;
    for (Path p : paths) {
      group.add(p);
      size += Files.size(p);
      if (size >= BIG_BLOB) {
        groups.add(group);
        group = new ArrayList<>();
        size = 0;
      }
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        List<Path> members = groups.get(g);
        String name = "big-" + g;
        done.add(pool.submit(() -> writeAndReadBack(container, name, members)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static Void writeAndReadBack(BlobContainerClient container, String name, List<Path> files)
      throws Exception {
    BlockBlobClient blob = container.getBlobClient(name).getBlockBlobClient();
    byte[] block = new byte[BLOCK];
    int filled = 0;
    List<String> ids = new ArrayList<>();
    for (Path p : files) {
      try (InputStream in = Files.newInputStream(p)) {
        int n;
        while ((n = in.read(block, filled, BLOCK - filled)) > 0) {
          filled += n;
          if (filled == BLOCK) {
            ids.add(stage(blob, ids.size(), block, filled));
            filled = 0;
          }
        }
      }
    }
    if (filled > 0) {
      ids.add(stage(blob, ids.size(), block, filled));
    }
    blob.commitBlockList(ids);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = blob.openInputStream()) {
      int n;
      while ((n = in.read(block)) > 0) {
        sha.update(block, 0, n);
      }
    }
    return null;
  }

  private static String stage(BlockBlobClient blob, int index, byte[] block, int length)
      throws Exception {
    String id =
        Base64.getEncoder()
            .encodeToString(
                String.format(Locale.ROOT, "block-%08d", index)
                    .getBytes(StandardCharsets.US_ASCII));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(block, 0, length);
    blob.stageBlockWithResponse(
        new BlockBlobStageBlockOptions(
                id, BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, length)))
            .setContentMd5(md5.digest()),
        null,
        Context.NONE);
    return id;
  }

  /** Generates the tree once (kept for later runs); returns its total size. */
  private static long generate(Path tree, int files) throws IOException {
    Path done = tree.resolve(".complete");
    if (!Files.exists(done)) {
      Random random = new Random(42);
      String study = DicomTestFiles.newUid();
      String series = null;
      for (int i = 0; i < files; i++) {
        if (i % 200 == 0) {
          series = DicomTestFiles.newUid();
        }
        long size = (long) (MIN * Math.pow((double) MAX / MIN, random.nextDouble()));
        Path file = tree.resolve(String.format(Locale.ROOT, "%03d/%06d", i / 1000, i));
        Files.createDirectories(file.getParent());
        write(file, study, series, DicomTestFiles.newUid(), (int) size, random, i);
        if (i % 1000 == 999) {
          study = DicomTestFiles.newUid();
        }
      }
      Files.writeString(done, "");
    }
    try (Stream<Path> walk = Files.walk(tree)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.equals(done))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  private static void write(
      Path file, String study, String series, String sop, int size, Random random, int n)
      throws IOException {
    int columns = 64;
    int rows = Math.max(1, size / 2 / columns);
    byte[] pixels = new byte[rows * columns * 2];
    random.nextBytes(pixels);
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
    ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
    ds.setString(Tag.StudyDate, VR.DA, "20090115");
    ds.setString(Tag.Modality, VR.CS, "CT");
    ds.setString(Tag.PatientName, VR.PN, "Legacy^Patient" + (n / 1000));
    ds.setString(Tag.PatientID, VR.LO, "OLD-" + (n / 1000));
    ds.setString(Tag.StudyInstanceUID, VR.UI, study);
    ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
    ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(n % 200 + 1));
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.setInt(Tag.Rows, VR.US, rows);
    ds.setInt(Tag.Columns, VR.US, columns);
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    ds.setInt(Tag.BitsStored, VR.US, 12);
    ds.setInt(Tag.HighBit, VR.US, 11);
    ds.setInt(Tag.PixelRepresentation, VR.US, 0);
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
      DicomOutputStream dicom = new DicomOutputStream(out);
      dicom.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(
              UID.CTImageStorage, sop, UID.ExplicitVRLittleEndian));
      dicom.writeDataset(ds, UID.ExplicitVRLittleEndian);
      dicom.flush();
    }
  }
}
