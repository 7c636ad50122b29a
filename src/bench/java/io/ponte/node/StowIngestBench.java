package io.ponte.node;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STOW-RS ingest benchmark: Ponte's node beside Orthanc (DicomWeb plugin), same files, same client, same run.
 * A benchmark, not a test: it prints figures and never fails a build.
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests          # builds target/quarkus-app
 *   java src/bench/java/io/ponte/node/StowIngestBench.java [instancesPerStreamPhase=200] [perRequest=50] [defer-upload]
 * </pre>
 *
 * By default the node's Blob upload worker runs during the phases, as in production (it re-reads each
 * instance and sends it to Azurite on the same machine); {@code defer-upload} parks it, to measure ingest
 * alone.
 *
 * It generates 0.5 MB CT instances with dcmtk's dump2dcm (explicit VR little endian, 512 KiB of pixels),
 * starts the node (target/quarkus-app, role node, site hospital-a, its own database ponte_node_bench and a
 * temp cache, Azurite for Blob, -Xmx256m) and Orthanc (temp config, DicomWeb plugin, temp storage), then
 * POSTs multipart/related bodies of {@code perRequest} instances, streamed from disk with a Content-Length,
 * first on one stream, then on four parallel streams, to each. Each phase sends fresh instances. Last, one
 * request carrying every instance of the run (hundreds of MB) goes to the node, whose heap is capped at
 * 256 MB: it only completes if the body is streamed rather than buffered.
 * Needs the shared services (PostgreSQL, Keycloak for the ingest token, Azurite), dcmtk and Orthanc.
 */
public final class StowIngestBench {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static boolean deferUpload;
    static final String KEYCLOAK = "http://127.0.0.1:8180/realms/ponte/protocol/openid-connect/token";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        int perPhase = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int perRequest = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        deferUpload = args.length > 2 && args[2].equals("defer-upload");
        Path work = Files.createTempDirectory("ponte-stow-bench");
        System.out.printf("work dir %s%n", work);

        List<Path> single = generate(work.resolve("one-stream"), perPhase, perRequest, 1);
        List<Path> parallel = generate(work.resolve("four-streams"), perPhase * 2, perRequest, 2);
        long bytes = Files.size(single.get(0));
        System.out.printf("generated %d + %d CT instances of %d bytes (dump2dcm)%n", single.size(),
                parallel.size(), bytes);

        List<String> results = new ArrayList<>();
        Process orthanc = null;
        Process node = null;
        try {
            int orthancPort = freePort();
            orthanc = startOrthanc(work.resolve("orthanc"), orthancPort, freePort());
            String orthancUrl = "http://127.0.0.1:" + orthancPort + "/dicom-web/studies";
            waitFor("http://127.0.0.1:" + orthancPort + "/system", null, orthanc);

            int nodePort = freePort();
            node = startNode(work.resolve("node"), nodePort);
            String nodeUrl = "http://127.0.0.1:" + nodePort + "/dicomweb/studies";
            waitFor("http://127.0.0.1:" + nodePort + "/q/health/live", null, node);
            String token = token();

            // Warm-up (JIT, connection pools, SQLite/PostgreSQL caches): 2 requests each, not counted.
            List<Path> warm = generate(work.resolve("warm"), perRequest * 2, perRequest, 3);
            run("warm-up", nodeUrl, token, warm, perRequest, 1);
            run("warm-up", orthancUrl, null, warm, perRequest, 1);

            results.add(run("Ponte node, 1 stream ", nodeUrl, token, single, perRequest, 1));
            results.add(run("Orthanc,    1 stream ", orthancUrl, null, single, perRequest, 1));
            results.add(run("Ponte node, 4 streams", nodeUrl, token(), parallel, perRequest, 4));
            results.add(run("Orthanc,    4 streams", orthancUrl, null, parallel, perRequest, 4));

            List<Path> everything = new ArrayList<>(single);
            everything.addAll(parallel);
            long total = 0;
            for (Path p : everything) {
                total += Files.size(p);
            }
            results.add(run(String.format(Locale.ROOT, "Ponte node, one %d MB request (resend, -Xmx256m)",
                    total >> 20), nodeUrl, token(), everything, everything.size(), 1));
        } finally {
            stop(node);
            stop(orthanc);
        }
        System.out.println();
        System.out.printf("STOW-RS ingest, %d KB CT instances, %d per request, %d cores, Blob upload %s:%n",
                bytes >> 10, perRequest, Runtime.getRuntime().availableProcessors(),
                deferUpload ? "deferred" : "running");
        results.forEach(System.out::println);
        System.out.printf("(work dir %s can be deleted)%n", work);
    }

    /** One phase: {@code streams} threads, each POSTing its share of the files in requests of perRequest. */
    static String run(String label, String url, String token, List<Path> files, int perRequest, int streams)
            throws Exception {
        List<List<Path>> requests = new ArrayList<>();
        for (int i = 0; i < files.size(); i += perRequest) {
            requests.add(files.subList(i, Math.min(files.size(), i + perRequest)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        long start = System.nanoTime();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            futures.add(pool.submit(() -> {
                int stored = 0;
                for (int r = stream; r < requests.size(); r += streams) {
                    stored += post(url, token, requests.get(r));
                }
                return stored;
            }));
        }
        int stored = 0;
        for (Future<Integer> f : futures) {
            stored += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        String line = String.format(Locale.ROOT, "  %-48s %5d instances in %6.2f s = %7.1f instances/s (%6.1f MB/s)",
                label, stored, seconds, stored / seconds, files.size() * (double) Files.size(files.get(0)) / seconds / 1e6);
        System.out.println(line);
        return line;
    }

    /** POSTs one multipart/related body streamed from the files; returns how many instances it carried. */
    static int post(String url, String token, List<Path> files) throws Exception {
        String boundary = "bench-" + Long.toHexString(new Random().nextLong());
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = tail.length;
        for (Path f : files) {
            length += head.length + Files.size(f) + crlf.length;
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    List<InputStream> parts = new ArrayList<>();
                    for (Path f : files) {
                        parts.add(new ByteArrayInputStream(head));
                        parts.add(lazy(f));
                        parts.add(new ByteArrayInputStream(crlf));
                    }
                    parts.add(new ByteArrayInputStream(tail));
                    Enumeration<InputStream> e = Collections.enumeration(parts);
                    return new SequenceInputStream(e);
                }), length);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json").POST(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return files.size();
    }

    /** Opens the file only when the sequence reaches it, so one request holds one open file at a time. */
    static InputStream lazy(Path file) {
        return new InputStream() {
            InputStream in;

            InputStream in() throws IOException {
                if (in == null) {
                    in = Files.newInputStream(file);
                }
                return in;
            }

            @Override
            public int read() throws IOException {
                return in().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    /** CT instances of 512x512x16 bit, one study per request, written by dcmtk's dump2dcm. */
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
        return files;
    }

    static String uid(Random random) {
        return "2.25." + new java.math.BigInteger(127, random);
    }

    static Process startOrthanc(Path dir, int httpPort, int dicomPort) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("orthanc.json");
        Files.writeString(config, """
                {
                  "Name": "PONTE-BENCH",
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
        return new ProcessBuilder("Orthanc", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
    }

    static Process startNode(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "drop database if exists ponte_node_bench"));
        exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "create database ponte_node_bench"));
        Path jar = ROOT.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -o -q package -DskipTests (" + jar + " missing)");
        }
        return new ProcessBuilder("java", "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.node.jdbc.url=jdbc:postgresql://127.0.0.1:5432/ponte_node_bench",
                "-Dponte.node.storage.cache-dir=" + dir.resolve("cache"),
                "-Dponte.node.storage.blob-container=ponte-bench-" + port,
                "-Dquarkus.log.level=WARN",
                "-Dponte.node.storage.upload-interval=" + (deferUpload ? "24h" : "5s"),
                "-jar", jar.toString(), "serve", "--role", "NODE", "--site", "hospital-a")
                .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
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

    static void waitFor(String url, String token, Process process) throws Exception {
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

    static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
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
