package io.ponte;

import io.ponte.cli.ContributedCommand;
import io.ponte.cli.PonteCommand;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.ServiceLoader;
import picocli.CommandLine;

/**
 * The one executable. The command line is parsed before Quarkus boots, so that offline commands
 * ({@code dicom dump}) need no database, Keycloak or port; only {@code serve} starts the
 * application.
 */
@QuarkusMain
public final class Main {

  private Main() {}

  public static void main(String... args) {
    int exit = commandLine().execute(args);
    if (exit != PonteCommand.KEEP_RUNNING) {
      System.exit(exit);
    }
  }

  /** The command tree as {@link #main} parses it (tests run the same). */
  public static CommandLine commandLine() {
    // `serve --role hub` as documented: enum options are matched without regard to case.
    CommandLine cli = new CommandLine(new PonteCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    // Subcommands that live with a feature (cli imports none): `audit verify` in hub/audit.
    for (ContributedCommand command : ServiceLoader.load(ContributedCommand.class)) {
      cli.getSubcommands().get(command.parent()).addSubcommand(command);
    }
    return cli;
  }
}
