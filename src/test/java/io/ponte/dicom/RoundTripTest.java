package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomSamples;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read every sample, write it as Part 10 (explicit VR LE; encapsulated pixel data keeps its
 * transfer syntax), and let dcmtk read both: its two readings must have the same elements with the
 * same values.
 */
class RoundTripTest {

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> writtenFilesReadBackByDcmtkWithIdenticalValues() {
    Dcmtk.require("dcmdump");
    return DicomSamples.all().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      DcmDump original = DcmDump.of(file, false);
                      if (original == null) {
                        return; // unreadable input: covered by SampleFilesTest
                      }
                      Attributes ds;
                      String ts;
                      try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                          DicomInputStream din = new DicomInputStream(in)) {
                        ds = din.readDataset();
                        ts = din.transferSyntax();
                      }
                      String outTs = UID.isNative(ts) ? UID.ExplicitVRLittleEndian : ts;
                      Path out = tmp.resolve(file.getFileName());
                      try (OutputStream os = Files.newOutputStream(out);
                          DicomOutputStream dos = new DicomOutputStream(os)) {
                        String cuid = ds.getString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
                        String iuid = ds.getString(Tag.SOPInstanceUID, "1.2.3.4");
                        dos.writeFileMetaInformation(
                            DicomOutputStream.createFileMetaInformation(cuid, iuid, outTs));
                        dos.writeDataset(ds, outTs);
                      }
                      boolean utf8 = ds.contains(Tag.SpecificCharacterSet);
                      DcmDump before = dump(file, utf8, false);
                      DcmDump after = dump(out, utf8, true);
                      List<String> problems = new ArrayList<>();
                      compare(
                          "",
                          before.dataset,
                          after.dataset,
                          problems,
                          String.join("\\", ds.specificCharacterSet().codes()),
                          utf8);
                      assertThat(problems)
                          .as("dcmtk's reading of our output vs of the original")
                          .isEmpty();
                      // Our own reader gets the same back too.
                      Attributes reread = SampleFilesTest.read(out)[1];
                      assertThat(reread.size()).isEqualTo(withoutGroupLengths(ds));
                      assertThat(SampleFilesTest.read(out)[0].getString(Tag.TransferSyntaxUID))
                          .isEqualTo(outTs);
                    }));
  }

  private static int withoutGroupLengths(Attributes ds) {
    int n = 0;
    for (Attributes.Element e : ds) {
      if (!Tag.isGroupLength(e.tag())) {
        n++;
      }
    }
    return n;
  }

  /**
   * dcmdump; for our output with +uc so UN elements dcmtk knows print as in the original's
   * dictionary reading.
   */
  private static DcmDump dump(Path file, boolean utf8, boolean convertUn) throws IOException {
    List<String> args = new ArrayList<>(DcmDump.dcmdumpArgs(file.toString(), utf8));
    if (convertUn) {
      args.add(1, "+uc");
    }
    Dcmtk.Result r = Dcmtk.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as("dcmdump " + file + ": " + r.stderr()).isZero();
    DcmDump d = new DcmDump(utf8);
    d.parse(r.out());
    return d;
  }

  static void compare(
      String path,
      List<DcmDump.Node> a,
      List<DcmDump.Node> b,
      List<String> problems,
      String charset,
      boolean utf8) {
    List<DcmDump.Node> x = a.stream().filter(n -> !Tag.isGroupLength(n.tag)).toList();
    List<DcmDump.Node> y = b.stream().filter(n -> !Tag.isGroupLength(n.tag)).toList();
    if (x.size() != y.size()) {
      problems.add(path + ": " + x.size() + " elements before, " + y.size() + " after");
      return;
    }
    for (int i = 0; i < x.size(); i++) {
      DcmDump.Node p = x.get(i);
      DcmDump.Node q = y.get(i);
      String at = path + "/" + Tag.toString(p.tag);
      if (p.tag != q.tag) {
        problems.add(at + ": tag became " + Tag.toString(q.tag));
        continue;
      }
      if ((p.vr.equals("??") || p.vr.equals("UN")) && q.isSequence()) {
        // An implicit VR private sequence we recognised (dcmtk keeps it as bytes): dcmtk's parse of
        // the
        // original bytes as a sequence must match dcmtk's reading of the sequence we wrote.
        List<List<DcmDump.Node>> items;
        try {
          items = DcmDump.itemsOfImplicitSequence(DcmDump.hexBytes(p), charset, utf8);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (items == null || items.size() != q.items.size()) {
          problems.add(at + ": UN bytes became a sequence dcmtk reads differently");
          continue;
        }
        for (int k = 0; k < items.size(); k++) {
          compare(at + "[" + k + "]", items.get(k), q.items.get(k), problems, charset, utf8);
        }
        continue;
      }
      if (!sameVR(p.vr, q.vr)) {
        problems.add(at + ": VR " + p.vr + " became " + q.vr);
      }
      if (p.isSequence()) {
        if (p.items.size() != q.items.size()) {
          problems.add(at + ": " + p.items.size() + " items became " + q.items.size());
          continue;
        }
        for (int k = 0; k < p.items.size(); k++) {
          compare(at + "[" + k + "]", p.items.get(k), q.items.get(k), problems, charset, utf8);
        }
      } else if (p.isPixelSequence()) {
        if (p.fragments.size() != q.fragments.size()) {
          problems.add(at + ": " + p.fragments.size() + " fragments became " + q.fragments.size());
          continue;
        }
        for (int k = 0; k < p.fragments.size(); k++) {
          if (!p.fragments.get(k).value.equals(q.fragments.get(k).value)) {
            problems.add(at + ": fragment " + k + " changed");
          }
        }
      } else if (!p.value.equals(q.value)) {
        problems.add(at + ": value " + abbreviate(p.value) + " became " + abbreviate(q.value));
      }
    }
  }

  private static boolean sameVR(String a, String b) {
    return a.equals(b) || (a.equals("??") && b.equals("UN")) || (b.equals("??") && a.equals("UN"));
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
