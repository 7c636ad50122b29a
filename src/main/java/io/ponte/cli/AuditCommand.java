package io.ponte.cli;

import picocli.CommandLine.Command;

/**
 * {@code ponte audit ...}: tools over the hub's audit trail. Its subcommands live with the trail
 * (io.ponte.hub.audit) and are added as {@link ContributedCommand}s, since cli imports no hub
 * package.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Audit trail tools (verify, purge).")
public class AuditCommand {}
