package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The progress line: no total and no ETA while the walk counts, then a bar and an ETA. */
class MigrationProgressTest {

  private static FileOutcome outcome(FileOutcome.Kind kind) {
    return new FileOutcome(new SourceFile("a", Path.of("a"), 1000, 0), kind, null, "why");
  }

  @Test
  void countsThenBarAndEta() {
    MigrationReport report = new MigrationReport();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    MigrationProgress progress = new MigrationProgress(report, out, true);
    report.count(outcome(FileOutcome.Kind.MIGRATED));
    report.count(outcome(FileOutcome.Kind.DUPLICATE));
    report.count(outcome(FileOutcome.Kind.UNREADABLE));
    assertThat(progress.line())
        .startsWith("3/? (counting) files, 1 migrated, 1 duplicates, 1 unreadable")
        .doesNotContain("ETA");
    progress.walkDone(6);
    assertThat(progress.line())
        .startsWith("[############............]  50% 3/6 files")
        .contains("ETA ");
    progress.verifying(2);
    assertThat(progress.line())
        .endsWith("uploading and verifying in Blob: 2 left")
        .doesNotContain("ETA");
    progress.print();
    // On a terminal the line is redrawn in place.
    assertThat(buffer.toString(StandardCharsets.UTF_8)).startsWith("\r[").doesNotContain("\n");
  }

  @Test
  void plainLinesWhenNotATerminal() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    MigrationProgress progress =
        new MigrationProgress(
            new MigrationReport(), new PrintStream(buffer, true, StandardCharsets.UTF_8), false);
    progress.print();
    progress.print();
    assertThat(buffer.toString(StandardCharsets.UTF_8).lines())
        .hasSize(2)
        .allMatch(l -> !l.contains("\r"));
  }

  @Test
  void durations() {
    assertThat(MigrationProgress.duration(59)).isEqualTo("0m59s");
    assertThat(MigrationProgress.duration(3 * 3600 + 7 * 60)).isEqualTo("3h07m");
  }
}
