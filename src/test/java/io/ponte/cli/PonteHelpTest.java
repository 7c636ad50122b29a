package io.ponte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.PonteCli;
import org.junit.jupiter.api.Test;

/** What a hospital's IT person reads first: {@code ponte --help} and its summary lines. */
class PonteHelpTest {

  @Test
  void serveSaysTheHubSpeaksDimseToo() {
    PonteCli.Result r = PonteCli.run("--help");
    assertThat(r.exit()).isZero();
    String serve = line(r.out(), "  serve ");
    // the hub has its own DIMSE port (C-FIND/C-GET/C-MOVE), not only a node
    assertThat(serve).contains("DIMSE").doesNotContain("DIMSE on a node");
  }

  @Test
  void auditNamesBothOfItsTools() {
    PonteCli.Result r = PonteCli.run("--help");
    assertThat(line(r.out(), "  audit ")).contains("verify", "purge");
  }

  private static String line(String help, String start) {
    return help.lines().filter(l -> l.startsWith(start)).findFirst().orElse("");
  }
}
