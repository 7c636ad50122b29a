package io.ponte.dicom.bench;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.UID;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Codec throughput on a synthetic 512x512 16-bit CT held in memory: header-only parse
 * (instances/s), full parse + Part 10 write (MB/s), and a plain copy of the same bytes (MB/s, the
 * ceiling). Run: {@code mvn -B -Pbench test-compile exec:exec
 * -Dbench.main=io.ponte.dicom.bench.CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CodecBenchmark {

  byte[] file;
  ReusableSink sink;

  /**
   * An output stream that overwrites one preallocated array: the write side's real copy, no growth.
   */
  static final class ReusableSink extends OutputStream {
    final byte[] buf;
    int count;

    ReusableSink(int size) {
      buf = new byte[size];
    }

    @Override
    public void write(int b) {
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }
  }

  @Setup
  public void setup() throws IOException {
    file = SyntheticCt.part10();
    sink = new ReusableSink(file.length + 65536);
  }

  @Benchmark
  public Attributes headerOnlyParse() throws IOException {
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
      return in.readDatasetUntilPixelData();
    }
  }

  @Benchmark
  public int fullParseAndWrite() throws IOException {
    sink.count = 0;
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
      Attributes fmi = in.readFileMetaInformation();
      Attributes ds = in.readDataset();
      DicomOutputStream out = new DicomOutputStream(sink);
      out.writeFileMetaInformation(fmi);
      out.writeDataset(ds, UID.ExplicitVRLittleEndian);
      out.flush();
    }
    return sink.count;
  }

  @Benchmark
  public int plainCopy() {
    // The ceiling for parse+write: read the bytes once (copy out of the input) and write them once.
    byte[] copy = Arrays.copyOf(file, file.length);
    System.arraycopy(copy, 0, sink.buf, 0, copy.length);
    return copy.length;
  }

  /**
   * The same three operations timed by this thread's CPU time: on a shared machine (other processes
   * competing for the cores) wall-clock figures understate what one core does; this is "per
   * core-second".
   */
  static void cpuNormalised(int size) throws IOException {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    CodecBenchmark b = new CodecBenchmark();
    b.setup();
    String[] names = {"header-only parse", "full parse+write", "plain byte copy"};
    for (int op = 0; op < 3; op++) {
      long ops = 0;
      long c0 = 0;
      long start = System.nanoTime();
      boolean warm = false;
      for (int round = 0; ; round++) {
        if (!warm && System.nanoTime() - start > 3_000_000_000L) {
          warm = true; // measure after 3 s of warm-up
          c0 = mx.getCurrentThreadCpuTime();
          ops = 0;
          start = System.nanoTime();
        }
        switch (op) {
          case 0:
            b.headerOnlyParse();
            break;
          case 1:
            b.fullParseAndWrite();
            break;
          default:
            b.plainCopy();
            break;
        }
        ops++;
        if (warm && System.nanoTime() - start > 3_000_000_000L) {
          break;
        }
      }
      double cpuSeconds = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
      if (op == 0) {
        System.out.printf("%-18s: %,.0f instances per CPU-second%n", names[op], ops / cpuSeconds);
      } else {
        System.out.printf(
            "%-18s: %,.0f MB per CPU-second%n", names[op], ops * (double) size / 1e6 / cpuSeconds);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int size = SyntheticCt.part10().length;
    Options opt = new OptionsBuilder().include(CodecBenchmark.class.getSimpleName()).build();
    System.out.println();
    System.out.printf("CT instance: %d bytes (512x512x16-bit pixel data + header)%n", size);
    for (RunResult r : new Runner(opt).run()) {
      String name = r.getParams().getBenchmark();
      double opsPerSec = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      if (name.endsWith("headerOnlyParse")) {
        System.out.printf("header-only parse : %,.0f instances/s (± %,.0f)%n", opsPerSec, err);
      } else {
        System.out.printf(
            "%-18s: %,.0f MB/s (%,.0f ops/s ± %,.0f)%n",
            name.endsWith("plainCopy") ? "plain byte copy" : "full parse+write",
            opsPerSec * size / 1e6,
            opsPerSec,
            err);
      }
    }
    System.out.println("CPU-time normalised (this thread's CPU time; GC threads not counted):");
    cpuNormalised(size);
  }
}
