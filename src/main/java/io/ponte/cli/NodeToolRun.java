package io.ponte.cli;

import io.ponte.role.Role;
import io.quarkus.runtime.Quarkus;
import java.util.List;
import java.util.Map;

/**
 * How every {@code ponte node …} tool boots: the node's configuration for one site, with nothing
 * listening and nothing in the background, so it may run beside the serving node; then the tool
 * application with its arguments, exiting with its status.
 */
final class NodeToolRun {

  /** A tool run beside a serving node: nothing listens, nothing runs in the background. */
  static final Map<String, String> SETTINGS =
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

  private NodeToolRun() {}

  /**
   * Boots the node's tool application for {@code site} with {@code args}; exits with its status.
   */
  static int run(String site, List<String> args) {
    Role.NODE.configuration().forEach(System::setProperty);
    System.setProperty("ponte.site", site);
    SETTINGS.forEach(System::setProperty);
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
