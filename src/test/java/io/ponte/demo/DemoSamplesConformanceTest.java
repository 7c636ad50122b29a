package io.ponte.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.Dcmtk;
import io.ponte.testing.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demo data is what users see first: every instance {@code ponte demo samples} writes must pass
 * dciodvfy (David Clunie's dicom3tools, an independent IOD checker) without a single error.
 * Warnings are printed, not failed on: they name optional attributes a real modality may omit.
 */
class DemoSamplesConformanceTest {

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicTest> everyDemoInstanceIsAValidIod() throws IOException {
    Peers.require(Dcmtk.has("dciodvfy"), "dciodvfy (Debian: dicom3tools)");
    List<DynamicTest> tests = new ArrayList<>();
    for (DemoCatalogue.Study study : DemoCatalogue.STUDIES) {
      List<Path> files = SampleStudyWriter.write(study, dir.resolve(study.key()), 16);
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        tests.add(
            DynamicTest.dynamicTest(
                study.key() + " #" + (i + 1),
                () -> {
                  Dcmtk.Result r = Dcmtk.run("dciodvfy", "-new", file.toString());
                  String report = r.output();
                  // dciodvfy names the IOD it checked first: a file it cannot place is no pass.
                  assertThat(report.lines().findFirst().orElse(""))
                      .as(file + ":\n" + report)
                      .isEqualTo(study.modality() + "Image");
                  List<String> errors = report.lines().filter(l -> l.startsWith("Error")).toList();
                  report
                      .lines()
                      .filter(l -> l.startsWith("Warning"))
                      .forEach(w -> System.out.println(study.key() + ": " + w));
                  assertThat(errors).as(study.modality() + " " + file + ":\n" + report).isEmpty();
                }));
      }
    }
    return tests.stream();
  }
}
