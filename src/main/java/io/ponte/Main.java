package io.ponte;

import io.ponte.cli.PonteCommand;
import io.ponte.hub.audit.AuditVerifyCommand;
import io.quarkus.runtime.annotations.QuarkusMain;
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
    // `serve --role hub` as documented: enum options are matched without regard to case.
    CommandLine cli = new CommandLine(new PonteCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    // cli imports no hub package; the audit tools live with the trail.
    cli.getSubcommands().get("audit").addSubcommand("verify", new AuditVerifyCommand());
    int exit = cli.execute(args);
    if (exit != PonteCommand.KEEP_RUNNING) {
      System.exit(exit);
    }
  }
}
