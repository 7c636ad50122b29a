package io.ponte.cli;

import io.ponte.role.Role;
import io.quarkus.runtime.Quarkus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node verify --site S}: boots the node's configuration without serving (no HTTP, no
 * DIMSE, no schedulers, no start-up recovery, so it may run beside the serving node) and runs the
 * node's {@code node-verify} tool: the index checked against the cache and Blob, repaired from
 * whichever copy is intact. Exit 0 when every instance is held, 1 otherwise.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check the node's index against its cache and Blob, repair from whichever copy is intact,"
            + " and report (exit 0: everything held; 1: something missing or not checkable).")
public class NodeVerifyCommand implements Callable<Integer> {

  /** A tool run beside a serving node: nothing listens, nothing runs in the background. */
  static final Map<String, String> TOOL_RUN =
      Map.of(
          "quarkus.http.host-enabled", "false",
          "quarkus.scheduler.enabled", "false",
          "quarkus.banner.enabled", "false",
          "quarkus.log.level", "WARN",
          "ponte.node.dimse.enabled", "false",
          "ponte.node.publish.enabled", "false",
          "ponte.node.storage.recover-at-start", "false",
          // Empty is unset: in a pod the serving process holds the management port that the
          // environment names (PONTE_MANAGEMENT_PORT), and a tool serves nothing.
          "ponte.management.port", "");

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--dry-run", description = "report only; repair nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    Role.NODE.configuration().forEach(System::setProperty);
    System.setProperty("ponte.site", site);
    TOOL_RUN.forEach(System::setProperty);
    List<String> args = new ArrayList<>(List.of("node-verify"));
    if (dryRun) {
      args.add("--dry-run");
    }
    Quarkus.run(
        ToolApplication.class,
        (exitCode, failure) -> {
          if (failure != null) {
            failure.printStackTrace();
          }
          System.exit(exitCode);
        },
        args.toArray(String[]::new));
    return PonteCommand.KEEP_RUNNING;
  }
}
