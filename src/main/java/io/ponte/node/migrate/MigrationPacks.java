package io.ponte.node.migrate;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.PackIndex;
import io.ponte.node.storage.pack.SeriesPacker;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Packs what the run stores, instead of one upload per instance: the checkpoint writer offers the
 * SOP Instance UIDs it has just checkpointed; those still waiting for upload are claimed (naming
 * the run, as the upload worker's) and grouped per series; a group becomes a pack, written by the
 * node's {@link SeriesPacker} from the cache files and read back entry by entry before the switch,
 * when it is full ({@code --pack-instances}, default {@value #PACK_INSTANCES}, or {@link
 * #PACK_BYTES}), when its series has had nothing new for {@link #IDLE} (a series of a tree walked
 * in order is then complete), when the groups held together pass {@link #HELD_BYTES} (the largest
 * goes first), and at the end of the run. So memory and claims held are bounded, and a series
 * spread over the tree simply gets several packs. A pack refused by its re-read, or one Blob
 * failed, releases its instances to the upload worker, which the run drives at its end.
 */
final class MigrationPacks {

  private static final Logger LOG = Logger.getLogger(MigrationPacks.class);

  static final int PACK_INSTANCES = 2_000;
  static final long PACK_BYTES = 64L * 1024 * 1024;
  static final long HELD_BYTES = 512L * 1024 * 1024;
  static final Duration IDLE = Duration.ofSeconds(2);

  /**
   * A claim outlasts a group's wait, and is renewed when its pack starts (a group may wait behind
   * the packs in flight); a killed run's claims are released when the next node process starts (see
   * docs/operations.md), the lease only bounds a live one's. A claim lost anyway (its lease ran out
   * and the node's upload worker took it) is never switched to a pack nor released by this run.
   */
  static final Duration LEASE = Duration.ofMinutes(5);

  private final SeriesPacker packer;
  private final PackIndex index;
  private final MigrationCheckpoint checkpoint;
  private final String source;
  private final MigrationReport report;
  private final ExecutorService writers;
  private final Semaphore inFlight;
  private final int packInstances;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private long heldBytes;

  /** A series' claimed instances waiting for their pack. */
  private static final class Group {
    final String study;
    final String series;
    final List<InstanceLocation> members = new ArrayList<>();
    long bytes;
    long lastAdded;

    Group(String study, String series) {
      this.study = study;
      this.series = series;
    }
  }

  MigrationPacks(
      SeriesPacker packer,
      PackIndex index,
      MigrationCheckpoint checkpoint,
      String source,
      MigrationReport report,
      int writers,
      int packInstances) {
    this.packInstances = packInstances;
    this.packer = packer;
    this.index = index;
    this.checkpoint = checkpoint;
    this.source = source;
    this.report = report;
    this.writers = Executors.newFixedThreadPool(writers, r -> Migration.daemon(r, "migrate-pack"));
    // Packs written at once plus one waiting each: the offering thread waits beyond that.
    this.inFlight = new Semaphore(writers * 2);
  }

  /**
   * Claims those of {@code sops} waiting for upload and adds them to their series' group; with
   * {@code --pack-instances 0}, leaves them to the upload worker (one blob each).
   */
  synchronized void offer(List<String> sops) throws SQLException, InterruptedException {
    if (packInstances == 0) {
      return;
    }
    Instant now = Instant.now();
    long tick = System.nanoTime();
    for (PackIndex.PendingMember m : index.claimPending(sops, now, now.plus(LEASE))) {
      Group g = groups.computeIfAbsent(m.series(), s -> new Group(m.study(), s));
      g.members.add(m.location());
      g.bytes += m.location().size();
      g.lastAdded = tick;
      heldBytes += m.location().size();
      if (g.members.size() >= packInstances || g.bytes >= PACK_BYTES) {
        write(g);
      }
    }
    while (heldBytes > HELD_BYTES) {
      write(groups.values().stream().max(Comparator.comparingLong(x -> x.bytes)).orElseThrow());
    }
  }

  /** Writes the groups whose series had nothing new for {@link #IDLE}. */
  synchronized void flushIdle() throws InterruptedException {
    long now = System.nanoTime();
    for (Group g : List.copyOf(groups.values())) {
      if (now - g.lastAdded >= IDLE.toNanos()) {
        write(g);
      }
    }
  }

  /** Writes every group left and waits for all packs to be done. */
  void finish() throws InterruptedException {
    synchronized (this) {
      for (Group g : List.copyOf(groups.values())) {
        write(g);
      }
    }
    writers.shutdown();
    writers.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
  }

  /** Stops at once (a failed run): claims not packed are released once the process ends. */
  void stop() {
    writers.shutdownNow();
  }

  private void write(Group g) throws InterruptedException {
    groups.remove(g.series);
    heldBytes -= g.bytes;
    inFlight.acquire();
    try {
      writers.execute(
          () -> {
            try {
              pack(g);
            } finally {
              inFlight.release();
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private void pack(Group g) {
    List<String> sops = g.members.stream().map(InstanceLocation::sopInstanceUid).toList();
    try {
      // The group may have waited (offered, then behind the packs in flight): its lease anew.
      index.renew(sops, Instant.now().plus(LEASE), false);
      SeriesPacker.Outcome done = packer.packPendingGroup(g.study, g.series, g.members);
      if (done.packs() == 1) {
        report.packs.incrementAndGet();
        report.packedInstances.addAndGet(done.instances());
        // Its re-read matched every entry's SHA-256: that is the files' verification.
        report.verified.addAndGet(checkpoint.markVerifiedInstances(source, sops, Instant.now()));
        return;
      }
      LOG.warnf(
          "pack of %d instances of series %s not used: they go up one by one",
          sops.size(), g.series);
    } catch (IOException | RuntimeException e) {
      LOG.warnf(
          "pack of %d instances of series %s failed, they go up one by one: %s",
          sops.size(), g.series, e.getMessage());
    } catch (SQLException e) {
      LOG.warnf("pack of series %s: index unavailable (%s)", g.series, e.getMessage());
    }
    try {
      index.releasePending(sops, Instant.now());
    } catch (SQLException e) {
      LOG.warnf("claims of series %s left to expire: %s", g.series, e.getMessage());
    }
  }
}
