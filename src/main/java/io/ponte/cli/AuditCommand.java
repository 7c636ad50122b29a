package io.ponte.cli;

import picocli.CommandLine.Command;

/**
 * {@code ponte audit ...}: tools over the hub's audit trail. Its subcommands live with the trail
 * (io.ponte.hub.audit) and are added by {@link io.ponte.Main}, since cli imports no hub package.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Audit trail tools (verify).")
public class AuditCommand {}
