package io.ponte.cli;

import picocli.CommandLine.Command;

/** {@code ponte node ...}: operations on a hospital node's store. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Operations on a hospital node's store.",
    subcommands = {
      NodeVerifyCommand.class,
      NodeHoldCommand.class,
      NodeArchiveCommand.class,
      NodeDeleteExpiredCommand.class,
      NodeRebuildIndexCommand.class,
      NodePackCommand.class
    })
public class NodeCommand {}
