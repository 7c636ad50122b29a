package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script in node (the viewer's app-config.js under a stand-in browser) for its output. */
final class NodeScript {

  private NodeScript() {}

  /** {@code script} with {@code args} as {@code process.argv[1..]}; its trimmed output. */
  static String run(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "-e", script, "--"));
    command.addAll(List.of(args));
    Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    return output;
  }
}
