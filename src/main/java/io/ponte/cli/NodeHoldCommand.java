package io.ponte.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node hold --site S --study UID --reason TEXT} (or {@code --release}): boots the
 * node's configuration as a tool (as {@code node verify} does) and runs the node's {@code
 * node-hold}. Exit 0: done; 1: refused (unknown study, already held, not held); 2: bad arguments.
 */
@Command(
    name = "hold",
    mixinStandardHelpOptions = true,
    description =
        "Put a study on legal hold (never deleted while held) or release it; audited with who and"
            + " why.")
public class NodeHoldCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--study", required = true, description = "the Study Instance UID")
  String study;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Action action;

  static class Action {
    @Option(names = "--reason", description = "why the study is held (a court order, a complaint)")
    String reason;

    @Option(names = "--release", description = "release the study's hold")
    boolean release;
  }

  @Option(
      names = "--by",
      description = "who orders it (recorded and audited); default: the operating-system user")
  String by = System.getProperty("user.name");

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("node-hold", "--study", study, "--by", by));
    if (action.release) {
      args.add("--release");
    } else {
      args.addAll(List.of("--reason", action.reason));
    }
    return NodeToolRun.run(site, args);
  }
}
