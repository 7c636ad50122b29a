package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ponte migrate}'s options as the tool parses them: which source, and refused mixes. */
class MigrateOptionsTest {

  @Test
  void aDirectoryIsADirectorySource() {
    MigrationOptions o = MigrateTool.options(List.of("--from", "/archive/pacs1"));
    assertThat(o.from()).isEqualTo(Path.of("/archive/pacs1"));
    assertThat(o.remote()).isNull();
  }

  @Test
  void dimseAndDicomwebUrisAreRemoteSources() {
    MigrationOptions dimse =
        MigrateTool.options(
            List.of(
                "--from",
                "dimse://PACS@10.0.0.5:104",
                "--move-dest",
                "PONTE_MOVE",
                "--move-port",
                "11113"));
    assertThat(dimse.from()).isNull();
    assertThat(dimse.remote().dimse()).isTrue();
    assertThat(dimse.remote().moveDestination()).isEqualTo("PONTE_MOVE");
    assertThat(dimse.remote().callingAet()).isEqualTo("PONTE_MIGRATE");
    MigrationOptions web =
        MigrateTool.options(
            List.of("--from", "dicomweb+https://pacs.example/dicom-web", "--page-size", "50"));
    assertThat(web.remote().dimse()).isFalse();
    assertThat(web.remote().pageSize()).isEqualTo(50);
  }

  @Test
  void mixesThatCannotWorkAreRefused() {
    assertThatThrownBy(
            () -> MigrateTool.options(List.of("--from", "dimse://PACS@h:104", "--move-dest", "X")))
        .hasMessageContaining("--move-port");
    assertThatThrownBy(() -> MigrateTool.options(List.of("--from", "ftp://old/archive")))
        .hasMessageContaining("unknown source");
    assertThatThrownBy(
            () ->
                MigrateTool.options(
                    List.of("--from", "dimse://P@h:104", "--calling-aet", "WAY_TOO_LONG_AE_TITLE")))
        .hasMessageContaining("--calling-aet");
    assertThatThrownBy(
            () -> MigrateTool.options(List.of("--from", "dicomweb+http://h/x", "--page-size", "0")))
        .hasMessageContaining("--page-size");
  }

  @Test
  void aMalformedDimseUriIsABadArgument() {
    assertThatThrownBy(
            () ->
                RemoteSources.open(
                    new MigrationOptions.Remote(
                        "dimse://no-port-here",
                        "PONTE_MIGRATE",
                        null,
                        0,
                        null,
                        1,
                        Duration.ofSeconds(5),
                        null),
                    List.of(),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimse://AET@host:port");
  }
}
