package io.ponte.dicom.json.bench;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import io.ponte.dicom.json.BulkDataMode;
import io.ponte.dicom.json.DicomJsonReader;
import io.ponte.dicom.json.DicomJsonWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * DICOM JSON throughput on a synthetic CT (about 60 header elements, a code sequence, 512x512
 * 16-bit pixels): metadata only (data sets/s, what QIDO-RS and the node index pay), metadata read
 * back (data sets/s), and the whole instance with pixels inline (instances/s; x 0.7 MB of base64
 * each). Run: {@code mvn -B -Pbench test-compile exec:exec
 * -Dbench.main=io.ponte.dicom.json.bench.DicomJsonBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DicomJsonBenchmark {

  Attributes ct;
  byte[] metadataJson;
  NullSink sink = new NullSink();

  /** Counts bytes and drops them: measures encoding, not buffer growth. */
  static final class NullSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  @Setup
  public void setUp() throws IOException {
    ct = syntheticCt();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DicomJsonWriter w = DicomJsonWriter.builder().bulkData(BulkDataMode.OMIT).build(out)) {
      w.write(ct);
    }
    metadataJson = out.toByteArray();
  }

  @Benchmark
  public long writeMetadataOnly() throws IOException {
    try (DicomJsonWriter w = DicomJsonWriter.builder().bulkData(BulkDataMode.OMIT).build(sink)) {
      w.write(ct);
    }
    return sink.count;
  }

  @Benchmark
  public long writeWithPixelsInline() throws IOException {
    try (DicomJsonWriter w = DicomJsonWriter.builder().build(sink)) {
      w.write(ct);
    }
    return sink.count;
  }

  @Benchmark
  public Attributes readMetadata() throws IOException {
    try (DicomJsonReader r = DicomJsonReader.of(new ByteArrayInputStream(metadataJson))) {
      return r.readDataset();
    }
  }

  static Attributes syntheticCt() {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(0x00080008, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.1.2.3.4.5.6.7");
    ds.setString(Tag.StudyDate, VR.DA, "20240131");
    ds.setString(Tag.StudyTime, VR.TM, "101530.123");
    ds.setString(Tag.AccessionNumber, VR.SH, "ACC-000123");
    ds.setString(Tag.Modality, VR.CS, "CT");
    ds.setString(0x00080070, VR.LO, "ACME MEDICAL");
    ds.setString(Tag.ReferringPhysicianName, VR.PN, "Smith^Anna^^Dr.");
    ds.setString(Tag.StudyDescription, VR.LO, "CT THORAX W/O CONTRAST");
    ds.setString(Tag.SeriesDescription, VR.LO, "AXIAL 1.25mm");
    Sequence codes = ds.newSequence(0x00081032);
    Attributes code = codes.addItem();
    code.setString(0x00080100, VR.SH, "CTCHEST");
    code.setString(0x00080102, VR.SH, "99PONTE");
    code.setString(0x00080104, VR.LO, "CT chest");
    ds.setString(Tag.PatientName, VR.PN, "Müller^Jürgen=ミュラー^ユルゲン");
    ds.setString(Tag.PatientID, VR.LO, "REG-000001");
    ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
    ds.setString(Tag.PatientSex, VR.CS, "M");
    ds.setString(0x00180050, VR.DS, "1.25");
    ds.setString(0x00180060, VR.DS, "120");
    ds.setString(0x00181150, VR.IS, "1000");
    ds.setString(0x00181151, VR.IS, "250");
    ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.1.2.3");
    ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.1.2.3.4");
    ds.setString(Tag.SeriesNumber, VR.IS, "2");
    ds.setString(Tag.InstanceNumber, VR.IS, "42");
    ds.setString(0x00200032, VR.DS, "-158.135803", "-179.035797", "-75.699997");
    ds.setString(
        0x00200037, VR.DS, "1.000000", "0.000000", "0.000000", "0.000000", "1.000000", "0.000000");
    ds.setString(0x00201041, VR.DS, "-77.2040634155");
    for (int e = 0x1001; e < 0x1020; e++) { // a block of private numbers, as vendors write them
      ds.setInt(0x00430000 | e, VR.SS, e & 0xFF, 7, -3);
    }
    ds.setString(0x00430010, VR.LO, "GEMS_PARM_01");
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.setInt(Tag.Rows, VR.US, 512);
    ds.setInt(Tag.Columns, VR.US, 512);
    ds.setString(0x00280030, VR.DS, "0.661468", "0.661468");
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    ds.setInt(Tag.BitsStored, VR.US, 12);
    ds.setInt(Tag.HighBit, VR.US, 11);
    ds.setInt(Tag.PixelRepresentation, VR.US, 0);
    ds.setString(0x00281050, VR.DS, "40");
    ds.setString(0x00281051, VR.DS, "400");
    byte[] pixels = new byte[512 * 512 * 2];
    new Random(1).nextBytes(pixels);
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    return ds;
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(DicomJsonBenchmark.class.getSimpleName()).build())
        .run();
  }
}
