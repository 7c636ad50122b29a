package io.ponte.node.rebuild;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The counts of a rebuild, and every object not indexed with its reason. Complete (exit 0) when
 * nothing was unreadable or failed and the container could be listed to its end.
 */
final class RebuildReport {

  private long objects;
  private long alreadyIndexed;
  private long indexed;
  private long packs;
  private final List<ObjectOutcome> unreadable = new ArrayList<>();
  private final List<ObjectOutcome> failed = new ArrayList<>();
  private int studiesQueued = -1;
  private String aborted;

  synchronized void add(ObjectOutcome outcome) {
    objects++;
    switch (outcome.kind()) {
      case INDEXED -> indexed++;
      case ALREADY_INDEXED -> alreadyIndexed++;
      case UNREADABLE -> unreadable.add(outcome);
      case FAILED -> failed.add(outcome);
    }
  }

  /** A pack was read: its instances are counted as objects, one outcome each. */
  synchronized void pack() {
    packs++;
  }

  synchronized long packs() {
    return packs;
  }

  synchronized void studiesQueued(int studies) {
    this.studiesQueued = studies;
  }

  /** The run stopped before its end (listing or publication failed). */
  synchronized void aborted(String reason) {
    this.aborted = reason;
  }

  synchronized long objects() {
    return objects;
  }

  synchronized long indexed() {
    return indexed;
  }

  synchronized long alreadyIndexed() {
    return alreadyIndexed;
  }

  synchronized List<ObjectOutcome> unreadable() {
    return List.copyOf(unreadable);
  }

  synchronized List<ObjectOutcome> failed() {
    return List.copyOf(failed);
  }

  synchronized int studiesQueued() {
    return studiesQueued;
  }

  synchronized boolean complete() {
    return aborted == null && unreadable.isEmpty() && failed.isEmpty();
  }

  synchronized void printText(PrintStream out) {
    for (ObjectOutcome o : unreadable) {
      out.println("unreadable: " + o.name() + ": " + o.reason());
    }
    for (ObjectOutcome o : failed) {
      out.println("failed: " + o.name() + ": " + o.reason());
    }
    if (aborted != null) {
      out.println("stopped: " + aborted);
    }
    out.printf(
        "objects %d, already indexed %d, indexed %d, unreadable %d, failed %d%n",
        objects, alreadyIndexed, indexed, unreadable.size(), failed.size());
    if (packs > 0) {
      out.printf("of which in %d packs (each instance in a pack counted as an object)%n", packs);
    }
    if (studiesQueued >= 0) {
      out.printf("studies queued for publication to the hub: %d%n", studiesQueued);
    }
    out.println(
        complete()
            ? "every object in the container is indexed"
            : "NOT every object is indexed: see the lines above"
                + (failed.isEmpty() && aborted == null
                    ? ""
                    : "; run it again for the failed ones"));
  }
}
