package io.ponte.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One fault, injected and checked; it reports each check with its figure. */
interface Scenario {

  /** Short name used on the command line (e.g. {@code kill-node}). */
  String name();

  /** One line: what the fault is. */
  String title();

  /** Runs the fault in {@code work} (a directory of its own) and records every check in report. */
  void run(Path work, Report report) throws Exception;

  /** The checks of one scenario; it passes when every check holds. */
  final class Report {
    private final List<String> lines = new ArrayList<>();
    private boolean pass = true;

    /** A check: {@code ok} decides, {@code figure} says what was measured. */
    Report check(boolean ok, String what, Object... args) {
      pass &= ok;
      String line = (ok ? "  ok    " : "  FAIL  ") + String.format(Locale.ROOT, what, args);
      lines.add(line);
      System.out.println(line);
      return this;
    }

    /** A figure that decides nothing (timings, context). */
    Report note(String what, Object... args) {
      String line = "        " + String.format(Locale.ROOT, what, args);
      lines.add(line);
      System.out.println(line);
      return this;
    }

    void failed(Throwable e) {
      check(false, "aborted: %s", e.toString().replace('\n', ' '));
    }

    boolean pass() {
      return pass;
    }

    List<String> lines() {
      return lines;
    }
  }
}
