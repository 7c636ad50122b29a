package io.ponte.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the node ingest benchmarks share: generating 0.5 MB CT instances with dcmtk, starting a packaged node
 * (its own database and cache, Azurite for Blob) and Orthanc, a Keycloak ingest token, and the CPU time a
 * process has used (from /proc), so a figure can be given per instance. JDK only, so the benchmarks compile
 * with plain javac (see {@link StowIngestBench}).
 */
final class NodeBench {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String KEYCLOAK = "http://127.0.0.1:8180/realms/ponte/protocol/openid-connect/token";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The packaged node; {@code -Dbench.jar=...} runs another build (e.g. the one before a change). */
    static final Path DEFAULT_JAR = ROOT.resolve("target/quarkus-app/quarkus-run.jar");

    private NodeBench() {
    }

    /** A running node: its process, HTTP and DICOM ports, its database. */
    record Node(String label, Process process, int httpPort, int dicomPort, String database) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            stop(process);
        }

        /**
         * Waits until the Blob upload worker has sent every stored instance; returns the seconds waited. Before a
         * measured phase, so that it does not pay for the uploads of what came before it (the warm-up's above all).
         */
        double awaitUploads() throws Exception {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                String pending = query(database, "select count(*) from instance where blob_state = 'PENDING'");
                if (pending.equals("0")) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(label + ": uploads still pending after 10 minutes");
        }
    }

    /** A running Orthanc: HTTP (DICOMweb plugin) and DICOM ports. */
    record Orthanc(Process process, int httpPort, int dicomPort) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            stop(process);
        }
    }

    /**
     * Nodes to measure, from {@code -Dbench.nodes=label=path/quarkus-run.jar,label2=other/quarkus-run.jar}
     * (two builds interleaved in one run, for a before/after), else the one packaged in target/.
     */
    static List<String[]> nodeJars() {
        String spec = System.getProperty("bench.nodes");
        List<String[]> jars = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            jars.add(new String[] {"Ponte node", System.getProperty("bench.jar", DEFAULT_JAR.toString())});
            return jars;
        }
        for (String one : spec.split(",")) {
            String[] kv = one.split("=", 2);
            jars.add(new String[] {kv[0], kv[1]});
        }
        return jars;
    }

    /** CT instances of 512x512x16 bit, {@code perStudy} per study (one series each), written by dump2dcm. */
    static List<Path> generate(Path dir, int count, int perStudy, int seed) throws Exception {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        byte[] pixels = new byte[512 * 512 * 2];
        List<Path> files = new ArrayList<>();
        String study = null;
        String series = null;
        for (int i = 0; i < count; i++) {
            if (i % perStudy == 0) {
                study = uid(random);
                series = uid(random);
            }
            String sop = uid(random);
            random.nextBytes(pixels);
            Path raw = dir.resolve("pixels.raw");
            Files.write(raw, pixels);
            Path dump = dir.resolve("ct.dump");
            Files.writeString(dump, String.join("\n",
                    "(0008,0005) CS [ISO_IR 100]", "(0008,0016) UI =CTImageStorage", "(0008,0018) UI [" + sop + "]",
                    "(0008,0020) DA [20260115]", "(0008,0030) TM [101500]", "(0008,0050) SH [BENCH" + i / perStudy + "]",
                    "(0008,0060) CS [CT]", "(0010,0010) PN [Bench^Patient]", "(0010,0020) LO [BENCH-" + seed + "]",
                    "(0020,000d) UI [" + study + "]", "(0020,000e) UI [" + series + "]",
                    "(0020,0013) IS [" + (i % perStudy + 1) + "]", "(0028,0002) US 1", "(0028,0004) CS [MONOCHROME2]",
                    "(0028,0010) US 512", "(0028,0011) US 512", "(0028,0100) US 16", "(0028,0101) US 16",
                    "(0028,0102) US 15", "(0028,0103) US 0", "(7fe0,0010) OW =" + raw) + "\n");
            Path out = dir.resolve(String.format("%05d.dcm", i));
            exec(List.of("dump2dcm", "+te", dump.toString(), out.toString()));
            files.add(out);
        }
        Files.delete(dir.resolve("pixels.raw"));
        Files.delete(dir.resolve("ct.dump"));
        return files;
    }

    static String uid(Random random) {
        return "2.25." + new java.math.BigInteger(127, random);
    }

    /** Orthanc from Debian with a temp config and storage, DICOMweb plugin on, any calling AE accepted. */
    static Orthanc startOrthanc(Path dir) throws Exception {
        Files.createDirectories(dir);
        int httpPort = freePort();
        int dicomPort = freePort();
        Path config = dir.resolve("orthanc.json");
        Files.writeString(config, """
                {
                  "Name": "PONTE-BENCH",
                  "DicomAet": "ORTHANC",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """.formatted(dir.resolve("storage"), dir.resolve("index"), httpPort, dicomPort));
        Process p = new ProcessBuilder("Orthanc", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        Orthanc orthanc = new Orthanc(p, httpPort, dicomPort);
        waitFor("http://127.0.0.1:" + httpPort + "/system", p);
        waitForPort(dicomPort, p);
        return orthanc;
    }

    /**
     * The packaged node as a hospital runs it: role node, site hospital-a, its own fresh database
     * ({@code ponte_node_bench_<n>}) and cache under {@code dir}, Azurite for Blob, -Xmx256m; DIMSE listener on
     * a free port (AE PONTE). {@code deferUpload} parks the Blob upload worker.
     */
    static Node startNode(String label, Path jar, Path dir, int n, boolean deferUpload, List<String> jvmArgs)
            throws Exception {
        Files.createDirectories(dir);
        String db = "ponte_node_bench_" + n;
        exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "drop database if exists " + db));
        exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "create database " + db));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -o -q package -DskipTests (" + jar + " missing)");
        }
        int http = freePort();
        int dicom = freePort();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m"));
        cmd.addAll(jvmArgs);
        // e.g. -Dbench.jvmArgs="-XX:+PrintCompilation" (each node's output is in <work>/node<n>/node.log)
        String extra = System.getProperty("bench.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of(
                "-Dquarkus.http.port=" + http,
                "-Dquarkus.datasource.node.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + db,
                "-Dponte.node.storage.cache-dir=" + dir.resolve("cache"),
                "-Dponte.node.storage.blob-container=ponte-bench-" + http,
                "-Dponte.node.dimse.port=" + dicom,
                "-Dquarkus.log.level=WARN",
                "-Dponte.node.storage.upload-interval=" + (deferUpload ? "24h" : "5s"),
                "-jar", jar.toString(), "serve", "--role", "NODE", "--site", "hospital-a"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile()).start();
        Node node = new Node(label, p, http, dicom, db);
        waitFor("http://127.0.0.1:" + http + "/q/health/live", p);
        waitForPort(dicom, p);
        return node;
    }

    static String token() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(KEYCLOAK))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=hospital-a-ingest"
                        + "&client_secret=hospital-a-ingest-secret")).build();
        String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no token from Keycloak: " + body);
        }
        return m.group(1);
    }

    /**
     * Instances sent to a node before anything is measured ({@code -Dbench.warmup}, default 1000): a JVM's
     * JIT compilers spend seconds of CPU on the ingest path first (with a warm-up of 100, the C1/C2 compiler
     * threads used a third of the node's CPU in the measured phases), and a node runs for months.
     */
    static int warmUpInstances() {
        return Integer.getInteger("bench.warmup", 1000);
    }

    private static boolean dropWarned;

    /**
     * Before a measured phase: writes back and drops the page cache, when this process may (root). On the
     * development VM a 0.5 MB buffered write cost 1.6 ms of kernel CPU with the page cache full of earlier runs'
     * files and 0.5 ms after dropping it, which swung the figures by 2x from run to run.
     */
    static void dropPageCache() {
        try {
            exec(List.of("sync"));
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        } catch (Exception e) {
            if (!dropWarned) {
                dropWarned = true;
                System.out.println("  (page cache not dropped before phases: " + e.getMessage()
                        + "; figures depend on its state)");
            }
        }
    }

    /** Lets the node's Blob upload catch up, and says how long it took (it ran during the phase before). */
    static void awaitUploads(Node node, boolean deferUpload) throws Exception {
        if (!deferUpload) {
            System.out.printf("  %-44s Blob uploads caught up %.1f s later%n", node.label(), node.awaitUploads());
        }
    }

    /** Stops the nodes and Orthanc (null if it never started). */
    static void stopAll(List<Node> nodes, Orthanc orthanc) throws InterruptedException {
        for (Node node : nodes) {
            node.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    /** Prints the run's figures again under a title naming what was measured and the load. */
    static void report(String title, List<String> results, Path work) {
        System.out.println();
        System.out.println(title + ", load " + loadAverage() + ":");
        results.forEach(System.out::println);
        System.out.printf("(work dir %s can be deleted)%n", work);
    }

    /** CPU seconds a process has used, in user space and in the kernel on its behalf. */
    record Cpu(double user, double system) {
        static final Cpu UNKNOWN = new Cpu(Double.NaN, Double.NaN);

        Cpu minus(Cpu earlier) {
            return new Cpu(user - earlier.user, system - earlier.system);
        }

        double total() {
            return user + system;
        }
    }

    /** The CPU a process (null: none) has used so far (Linux /proc/<pid>/stat, clock ticks of 1/100 s). */
    static Cpu cpu(Process p) {
        if (p == null) {
            return Cpu.UNKNOWN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat(5) (utime, stime) are 12 and 13 after the command name
            return new Cpu(Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0);
        } catch (IOException | RuntimeException e) {
            return Cpu.UNKNOWN;
        }
    }

    /** The 1-minute load average, to print beside a figure. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String figure(String label, int instances, double seconds, long bytesEach, Cpu used) {
        String cpu = Double.isNaN(used.total()) ? "" : String.format(Locale.ROOT,
                ", server CPU %5.2f ms/instance (%2.0f %% kernel)", used.total() * 1000 / instances,
                100 * used.system() / used.total());
        return String.format(Locale.ROOT, "  %-44s %5d instances in %6.2f s = %7.1f instances/s (%6.1f MB/s)%s",
                label, instances, seconds, instances / seconds, instances * (double) bytesEach / seconds / 1e6, cpu);
    }

    static void waitFor(String url, Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(url + ": process exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(url + " did not come up");
    }

    static void waitForPort(int port, Process process) throws Exception {
        for (int i = 0; i < 400; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("port " + port + ": process exited with " + process.exitValue());
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
        return out.trim();
    }

    static String query(String database, String sql) throws Exception {
        return exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
