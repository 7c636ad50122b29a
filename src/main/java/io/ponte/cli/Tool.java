package io.ponte.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Work a command runs inside the booted application, as a bean of the role that owns it (so that
 * the command stays in cli and imports no role): found by {@link #name()}, run once, its result the
 * process's exit status. Implementations are {@code @Unremovable} beans.
 */
public interface Tool {

  /** What the command asks for, e.g. {@code node-verify}. */
  String name();

  /** Runs with the command's arguments; returns the exit status. */
  int run(List<String> args, PrintStream out) throws Exception;
}
