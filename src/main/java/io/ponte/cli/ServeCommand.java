package io.ponte.cli;

import io.ponte.role.Role;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte serve --role hub|node [--site ID]}: starts Quarkus in one role. The role decides
 * which database, migrations and endpoints are active (see {@link Role#configuration()}).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the hub or a hospital node (HTTP and DIMSE, each on its own port).")
public class ServeCommand implements Callable<Integer> {

  @Option(names = "--role", description = "hub or node (default: $PONTE_ROLE, else hub)")
  Role role;

  @Option(
      names = "--site",
      description = "the node's site id, e.g. hospital-a (default: $PONTE_SITE)")
  String site;

  @Override
  public Integer call() {
    Role effective = role != null ? role : Role.fromEnvironment();
    effective.configuration().forEach(System::setProperty);
    if (site != null) {
      System.setProperty("ponte.site", site);
    }
    Quarkus.run(
        PonteApplication.class,
        (exitCode, failure) -> {
          if (failure != null) {
            failure.printStackTrace();
          }
          System.exit(exitCode);
        });
    return PonteCommand.KEEP_RUNNING;
  }
}
