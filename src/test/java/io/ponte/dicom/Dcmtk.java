package io.ponte.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs dcmtk command-line tools for tests; tests skip with a visible notice when dcmtk is absent. */
final class Dcmtk {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static Boolean available;

    private Dcmtk() {
    }

    static synchronized boolean available() {
        if (available == null) {
            try {
                available = run("dcmdump", "--version").exitCode() == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        return available;
    }

    static void require() {
        if (!available()) {
            System.out.println("NOTICE: dcmdump (dcmtk) not found: dcmtk-based DICOM tests skipped");
        }
        Assumptions.assumeTrue(available(), "dcmtk (dcmdump) not installed: test skipped");
    }

    static Result run(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timeout running " + String.join(" ", command));
            }
            errReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a tool and fails with its stderr when it exits non-zero. */
    static String runOk(String... command) throws IOException {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return r.stdout();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    static List<String> dcmdumpArgs(String file, boolean utf8) {
        List<String> args = new ArrayList<>(List.of("dcmdump", "-q", "+L", "-Un", "+Qn"));
        if (utf8) {
            args.add("+U8");
        }
        args.add(file);
        return args;
    }
}
