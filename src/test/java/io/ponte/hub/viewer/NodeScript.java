package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script in node (the viewer's app-config.js under a stand-in browser) for its output. */
final class NodeScript {

  private NodeScript() {}

  /**
   * The browser's part that app-config.js reads, stood in for at {@code http://hub.example} plus
   * the path of {@code process.argv[1]}: {@code window}, {@code location} (a load is recorded in
   * {@code out} as {@code loaded <address>}) and {@code out}, what happened, for the script's tail
   * to print. The caller adds {@code history} (and any events) as its case needs.
   */
  static final String BROWSER_AT =
      """
      const out = [];
      const at = new URL('http://hub.example' + process.argv[1]);
      globalThis.window = {};
      globalThis.location = {
        href: at.href, origin: at.origin, pathname: at.pathname, search: at.search,
        assign: (u) => out.push('loaded ' + u) };
      """;

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
