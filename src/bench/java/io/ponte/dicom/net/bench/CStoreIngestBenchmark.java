package io.ponte.dicom.net.bench;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.DicomServer;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.StoreHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * C-STORE ingest benchmark (prints figures, asserts nothing): dcmtk's storescu sends ~0.5 MB CT
 * instances over one association and over four parallel ones, to our acceptor (handler: temp file,
 * fsync, rename) and, in the same run, to Orthanc from Debian (its own durable storage). Run with:
 *
 * <pre>
 * mvn -B -o -q -Pbench test-compile exec:exec -Dbench.main=io.ponte.dicom.net.bench.CStoreIngestBenchmark
 * </pre>
 *
 * or, for other sizes or without fsync (protocol cost alone), after that test-compile:
 *
 * <pre>
 * mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.ponte.dicom.net.bench.CStoreIngestBenchmark [instances, default 500] [--no-fsync]
 * </pre>
 */
public final class CStoreIngestBenchmark {

  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    // --no-fsync separates the protocol's cost from the disk's (not a fair comparison with
    // Orthanc).
    boolean fsync = !List.of(args).contains("--no-fsync");
    Path work = Files.createTempDirectory("ponte-cstore-bench");
    try {
      Path single = generate(work.resolve("single"), count);
      Path parallel = generate(work.resolve("parallel"), count);
      long size = Files.size(Files.list(single).findFirst().orElseThrow());
      System.out.printf("%d + %d CT instances of %d bytes each, in %s%n", count, count, size, work);

      Path ours = Files.createDirectories(work.resolve("ponte-store"));
      AtomicLong stored = new AtomicLong();
      AcceptorConfig config =
          new AcceptorConfig(
              "PONTE",
              Set.of(CT),
              List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian),
              Set.of(),
              131072,
              16,
              Duration.ofSeconds(10),
              Duration.ofSeconds(60));
      try (DicomServer server =
          new DicomServer(config, durableHandler(ours, stored, fsync), null)) {
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (OrthancProcess orthanc = new OrthancProcess(work.resolve("orthanc"))) {
          // Warm-up (JIT, page cache of the inputs) on both, not counted.
          run("warm-up ponte", server.port(), List.of(single), 1, false);
          run("warm-up orthanc", orthanc.dicomPort, List.of(single), 1, false);
          List<Path[]> shards = shard(parallel, 4);
          // Interleaved so that both peers see the same machine load.
          double p1 = run("Ponte   1 association ", server.port(), List.of(single), count, true);
          double o1 =
              run("Orthanc 1 association ", orthanc.dicomPort, List.of(single), count, true);
          double p4 =
              run(
                  "Ponte   4 associations",
                  server.port(),
                  shardDirs(shards, work, "p"),
                  count,
                  true);
          double o4 =
              run(
                  "Orthanc 4 associations",
                  orthanc.dicomPort,
                  shardDirs(shards, work, "o"),
                  count,
                  true);
          // The sender's own ceiling: dcmtk's storescp receiving and discarding (no storage at
          // all).
          double c1;
          double c4;
          try (Ceiling ceiling = new Ceiling()) {
            c1 =
                run("storescp --ignore 1 association ", ceiling.port, List.of(single), count, true);
            c4 =
                run(
                    "storescp --ignore 4 associations",
                    ceiling.port,
                    shardDirs(shards, work, "c"),
                    count,
                    true);
          }
          System.out.printf(
              "%nSUMMARY instances/s  one association: ponte %.0f, orthanc %.0f (sender ceiling %.0f);"
                  + "  four: ponte %.0f, orthanc %.0f (sender ceiling %.0f)%n",
              p1, o1, c1, p4, o4, c4);
        }
      }
      System.out.printf(
          "ponte handler stored %d instances (fsync %s)%n", stored.get(), fsync ? "on" : "off");
    } finally {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The durable write the node's store does: temp file, fsync, atomic rename. */
  private static StoreHandler durableHandler(Path dir, AtomicLong stored, boolean fsync) {
    return (request, dataset) -> {
      Path tmp = dir.resolve(request.sopInstanceUid() + ".part");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
        DicomOutputStream meta = new DicomOutputStream(out);
        meta.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(
                request.sopClassUid(), request.sopInstanceUid(), request.transferSyntaxUid()));
        meta.flush();
        dataset.transferTo(out);
        out.flush();
        if (fsync) {
          ch.force(true);
        }
      }
      Files.move(
          tmp,
          dir.resolve(request.sopInstanceUid() + ".dcm"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      stored.incrementAndGet();
      return DimseStatus.OK;
    };
  }

  private static double run(String label, int port, List<Path> dirs, int count, boolean print)
      throws Exception {
    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    for (Path dir : dirs) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "storescu",
                  "-aec",
                  label.startsWith("warm") ? anyAe(label) : ae(label),
                  "+sd",
                  "127.0.0.1",
                  Integer.toString(port),
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("TCP_NODELAY", "1");
      processes.add(pb.start());
    }
    for (Process p : processes) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(label + ": storescu exit " + p.exitValue());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = count / seconds;
    if (print) {
      System.out.printf(
          "%s: %d instances in %.2f s = %.0f instances/s%n", label, count, seconds, rate);
    }
    return rate;
  }

  private static String ae(String label) {
    return label.startsWith("Ponte")
        ? "PONTE"
        : label.startsWith("storescp") ? "CEILING" : "ORTHANC";
  }

  /** storescp --ignore: receives every C-STORE and throws the data away. */
  private static final class Ceiling implements AutoCloseable {
    final int port;
    final Process process;

    Ceiling() throws Exception {
      port = freePort();
      ProcessBuilder pb =
          new ProcessBuilder(
                  "storescp",
                  "--ignore",
                  "-aet",
                  "CEILING",
                  "-pdu",
                  "131072",
                  Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("TCP_NODELAY", "1");
      process = pb.start();
      for (int i = 0; i < 100; i++) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("storescp did not start");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  private static String anyAe(String label) {
    return label.contains("ponte") ? "PONTE" : "ORTHANC";
  }

  private static Path generate(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(7);
    byte[] pixels = new byte[512 * 512 * 2];
    String study = uid();
    String series = uid();
    for (int i = 0; i < count; i++) {
      random.nextBytes(pixels);
      String instance = uid();
      Attributes ds = new Attributes();
      ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
      ds.setString(Tag.SOPClassUID, VR.UI, CT);
      ds.setString(Tag.SOPInstanceUID, VR.UI, instance);
      ds.setString(Tag.StudyDate, VR.DA, "20261127");
      ds.setString(Tag.Modality, VR.CS, "CT");
      ds.setString(Tag.PatientName, VR.PN, "Bench^Patient");
      ds.setString(Tag.PatientID, VR.LO, "BENCH-1");
      ds.setString(Tag.StudyInstanceUID, VR.UI, study);
      ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
      ds.setInt(Tag.InstanceNumber, VR.IS, i + 1);
      ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
      ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
      ds.setInt(Tag.Rows, VR.US, 512);
      ds.setInt(Tag.Columns, VR.US, 512);
      ds.setInt(Tag.BitsAllocated, VR.US, 16);
      ds.setInt(Tag.BitsStored, VR.US, 16);
      ds.setInt(Tag.HighBit, VR.US, 15);
      ds.setInt(Tag.PixelRepresentation, VR.US, 0);
      ds.setBytes(Tag.PixelData, VR.OW, pixels.clone());
      try (DicomOutputStream out =
          new DicomOutputStream(
              new BufferedOutputStream(
                  Files.newOutputStream(dir.resolve(String.format("ct%05d.dcm", i)))))) {
        out.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(CT, instance, UID.ExplicitVRLittleEndian));
        out.writeDataset(ds, UID.ExplicitVRLittleEndian);
      }
    }
    return dir;
  }

  private static String uid() {
    UUID u = UUID.randomUUID();
    return "2.25."
        + new java.math.BigInteger(
            1,
            java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array());
  }

  private static List<Path[]> shard(Path dir, int n) throws IOException {
    List<Path[]> shards = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    for (int i = 0; i < n; i++) {
      List<Path> part = new ArrayList<>();
      for (int j = i; j < files.size(); j += n) {
        part.add(files.get(j));
      }
      shards.add(part.toArray(Path[]::new));
    }
    return shards;
  }

  /** One directory of symlinks per shard and peer (storescu +sd sends a directory). */
  private static List<Path> shardDirs(List<Path[]> shards, Path work, String prefix)
      throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      Path d = Files.createDirectories(work.resolve(prefix + "shard" + i));
      for (Path f : shards.get(i)) {
        Files.createSymbolicLink(d.resolve(f.getFileName()), f);
      }
      dirs.add(d);
    }
    return dirs;
  }

  /**
   * Orthanc from Debian with a temp config: accepts any calling AE, stores durably in a temp dir.
   */
  private static final class OrthancProcess implements AutoCloseable {
    final int dicomPort;
    final Process process;

    OrthancProcess(Path dir) throws Exception {
      Files.createDirectories(dir);
      int http = freePort();
      dicomPort = freePort();
      Path config = dir.resolve("orthanc.json");
      Files.writeString(
          config,
          "{ \"Name\": \"bench\", \"DicomAet\": \"ORTHANC\", \"DicomPort\": "
              + dicomPort
              + ", \"HttpPort\": "
              + http
              + ", \"StorageDirectory\": \""
              + dir
              + "\", \"IndexDirectory\": \""
              + dir
              + "\", \"RemoteAccessAllowed\": false, \"AuthenticationEnabled\": false, \"Plugins\": [] }");
      ProcessBuilder pb =
          new ProcessBuilder("Orthanc", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("orthanc.log").toFile());
      // The peer gets Ponte's settings: without it Orthanc's DIMSE runs with Nagle on (21-82/s).
      pb.environment().put("TCP_NODELAY", "1");
      process = pb.start();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 200; i++) {
        try {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/system"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            try (Socket probe = new Socket("127.0.0.1", dicomPort)) {
              return;
            }
          }
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      close();
      throw new IllegalStateException("Orthanc did not start");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
