package io.ponte.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node pack --site S}: boots the node's configuration as a tool (as {@code node
 * verify} does) and runs one packing run ({@code node-pack}): what a killed run left is finished,
 * then the series gone quiet are packed. Exit 0: done; 1: Blob failed or a pack was refused; 2: bad
 * arguments or another packer is running.
 */
@Command(
    name = "pack",
    mixinStandardHelpOptions = true,
    description =
        "Pack the instances of quiet series into one blob per series (crash-safe; a rerun finishes"
            + " what a killed run left).")
public class NodePackCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(
      names = "--quiet-period",
      description =
          "pack series quiet for at least this long (e.g. 7d, 12h, 0s); default: the node's"
              + " ponte.node.storage.pack.quiet-period")
  String quietPeriod;

  @Option(names = "--series", defaultValue = "1000", description = "series packed at most")
  int series;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("node-pack", "--series", Integer.toString(series)));
    if (quietPeriod != null) {
      args.add("--quiet-period");
      args.add(quietPeriod);
    }
    return NodeToolRun.run(site, args);
  }
}
