package io.ponte.dicom.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the dcmtk command-line tools (the reference implementation) with bounded time. */
final class Dcmtk {

    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Dcmtk() {
    }

    static boolean has(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the calling test, visibly, when the tool is not installed. */
    static void require(String tool) {
        if (!has(tool)) {
            System.err.println("NOTICE: dcmtk's " + tool + " is not installed; skipping the comparison with it");
        }
        Assumptions.assumeTrue(has(tool), "dcmtk " + tool + " not installed");
    }

    static Result run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TCP_NODELAY", "1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** dcm2json's compact output (data set only: dcm2json leaves the file meta group out by default). */
    static Result dcm2json(Path file) {
        return run("dcm2json", "-fc", file.toString());
    }

    static void dump2dcm(Path dump, Path dcm, String... options) {
        List<String> cmd = new ArrayList<>(List.of("dump2dcm"));
        cmd.addAll(List.of(options));
        cmd.add(dump.toString());
        cmd.add(dcm.toString());
        Result r = run(cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new IllegalStateException("dump2dcm failed: " + r.stderr());
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
                in.transferTo(buf);
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
