package io.ponte.cli;

import picocli.CommandLine.Command;

/** Top of the command tree: {@code ponte serve|dicom ...}. */
@Command(
    name = "ponte",
    mixinStandardHelpOptions = true,
    version = "Ponte 0.1.0",
    description = "Federated regional medical-imaging exchange: hub, hospital node and tools.",
    subcommands = {
      ServeCommand.class,
      DicomCommand.class,
      DemoCommand.class,
      NodeCommand.class,
      MigrateCommand.class,
      AuditCommand.class
    })
public class PonteCommand implements Runnable {

  /** Exit code a command returns when the process must not exit (the server keeps running). */
  public static final int KEEP_RUNNING = -1;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this),
        "a subcommand is required: serve, dicom, demo, node, migrate, audit");
  }
}
