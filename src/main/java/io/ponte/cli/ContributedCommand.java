package io.ponte.cli;

/**
 * A subcommand that lives with the feature it serves, which cli may not import (e.g. {@code audit
 * verify} in io.ponte.hub.audit). Listed in META-INF/services and added by {@link io.ponte.Main}
 * under its parent before the command line is parsed.
 */
public interface ContributedCommand {

  /** Name of the parent command, e.g. {@code audit}. */
  String parent();
}
