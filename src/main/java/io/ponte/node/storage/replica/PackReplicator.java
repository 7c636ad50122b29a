package io.ponte.node.storage.replica;

import io.ponte.node.index.ClaimOwner;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.ReplicaPackIndex;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.node.storage.ReplicaMetrics;
import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.pack.PackCopy;
import io.ponte.node.storage.pack.PackFormat;
import io.ponte.node.storage.pack.SeriesPacker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Replicates what the primary holds in packs as those packs: one replica object per pack, under the
 * pack's name, so the replica's object count is bounded as the primary's is. Crash-safe as the
 * primary's packing is: (1) a journal row (WRITING) before a byte is copied; (2) the pack streamed
 * from the primary in one read and proven ({@link PackCopy}: each instance's SHA-256, each block's
 * MD5, the committed size); (3) one transaction marks the pack's instances REPLICATED in it, lists
 * the objects of their own the replica held some of them as, and sets the journal SWITCHED; (4)
 * only then are those objects deleted, and the journal row last. A kill -9 before (3) leaves the
 * instances as they were (the next run deletes the copy no instance counts on as soon as the killed
 * run's lock is gone); after it, the pack serves (the next run deletes the objects left). A journal
 * row names its copier's run ({@link ClaimOwner}), as the instances' claims do.
 */
@ApplicationScoped
public class PackReplicator {

  private static final Logger LOG = Logger.getLogger(PackReplicator.class);

  /** A claimed pack is not offered again for this long (unless its run dies first). */
  static final Duration LEASE = Duration.ofMinutes(10);

  @Inject NodeStorage storage;

  @Inject ReplicaPackIndex index;

  @Inject ReplicaQueue queue;

  @Inject ReplicaMetrics metrics;

  @Inject ClaimOwner run;

  Clock clock = Clock.systemUTC();

  private volatile SeriesPacker.Step crashAfter;

  /** Tests: the time its claims and leases go by. */
  public void clock(Clock clock) {
    this.clock = clock;
  }

  /** Tests: the next copy stops after {@code step} as a kill -9 would (null: never). */
  public void crashAfter(SeriesPacker.Step step) {
    this.crashAfter = step;
  }

  /** What one run did; {@code replicaDown} when it stopped because the replica failed. */
  record Run(int packs, int replicated, int failed, boolean replicaDown, String error) {}

  /**
   * Finishes what killed copies left, then copies up to {@code batch-size} packs due, one at a
   * time, stopping at the first sign the replica is down. Only under {@link ReplicationWorker}'s
   * lock: a process never copies while it recovers, so its own WRITING rows are leftovers too.
   */
  Run replicateDue() throws SQLException {
    NodeStorageConfig.Replica config = storage.config().replica();
    BlobStore replica = storage.replicaStore();
    int packs = 0;
    int replicated = 0;
    int failed = 0;
    try {
      recover(replica);
    } catch (IOException e) {
      metrics.failed("replica");
      return new Run(0, 0, 1, true, e.getMessage());
    }
    Instant now = clock.instant();
    for (String pack : index.packsDue(now, Math.max(1, config.batchSize()))) {
      List<ReplicaQueue.Claimed> claimed = index.claimPack(pack, now, now.plus(LEASE));
      if (claimed.isEmpty()) {
        continue;
      }
      try {
        int marked = copy(pack, replica);
        if (marked > 0) {
          packs++;
          replicated += marked;
        }
      } catch (IOException e) {
        failed++;
        boolean down = !(e instanceof PackCopy.SourceFailed);
        metrics.failed(down ? "replica" : "source");
        LOG.warnf("replication of pack %s failed: %s", pack, e.getMessage());
        backOff(config, claimed);
        if (down) {
          return new Run(packs, replicated, failed, true, e.getMessage());
        }
      }
    }
    return new Run(packs, replicated, failed, false, null);
  }

  /** Copies one pack to the replica and marks its instances; returns how many were marked. */
  int copy(String pack, BlobStore replica) throws IOException, SQLException {
    BlobStore primary = storage.blobStore();
    Map<String, InstanceLocation> live = index.inPack(pack);
    PackFormat.Stored source;
    try {
      BlobStat stat = primary.stat(pack);
      if (stat == null) {
        throw new PackCopy.SourceFailed("the primary has no pack " + pack, null);
      }
      source = PackFormat.read(primary, pack, stat.size());
    } catch (PackCopy.SourceFailed e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new PackCopy.SourceFailed("the primary's pack: " + e.getMessage(), e);
    }
    String disagrees = disagreement(source.index(), live);
    if (disagrees != null) {
      throw new PackCopy.SourceFailed(disagrees, null);
    }
    String owner = Long.toString(run.id());
    if (!index.begin(pack, owner, clock.instant())) {
      LOG.infof("pack %s: a copy of it is journaled already; left for later", pack);
      return 0;
    }
    crash(SeriesPacker.Step.JOURNALED);
    try {
      // Only what the index places in the pack is checked: bytes a repair moved out are dead space.
      PackCopy.copy(primary, replica, source, e -> live.containsKey(e.sop()));
    } catch (IOException | RuntimeException e) {
      abandon(pack, owner, replica);
      throw e;
    }
    crash(SeriesPacker.Step.WRITTEN);
    int marked = index.markReplicated(pack, owner, live, clock.instant());
    if (marked == 0) {
      LOG.infof("pack %s: its instances changed while it was copied; copy unused", pack);
      abandon(pack, owner, replica);
      return 0;
    }
    for (int i = 0; i < marked; i++) {
      metrics.replicated();
    }
    crash(SeriesPacker.Step.SWITCHED);
    ReplicaPackIndex.Journal done = index.switched(pack);
    if (done != null) {
      deleteSuperseded(replica, done);
    }
    LOG.debugf("pack %s replicated: %d instances", pack, marked);
    return marked;
  }

  /**
   * Null when every instance the index places in the pack is in the pack's own index at the same
   * offset, length and SHA-256; else what differs (the copy would not prove what the index says).
   */
  static String disagreement(PackFormat.Index packIndex, Map<String, InstanceLocation> live) {
    Map<String, PackFormat.Entry> entries = new java.util.HashMap<>();
    for (PackFormat.Entry e : packIndex.entries()) {
      entries.put(e.sop(), e);
    }
    for (InstanceLocation at : live.values()) {
      PackFormat.Entry e = entries.get(at.sopInstanceUid());
      if (e == null
          || e.offset() != at.packOffset()
          || e.length() != at.size()
          || !e.sha256().equals(at.sha256())) {
        return "instance "
            + at.sopInstanceUid()
            + " is not in pack "
            + at.blobName()
            + " as indexed";
      }
    }
    return null;
  }

  /**
   * What killed or failed copies left: a SWITCHED copy's superseded objects deleted; a WRITING copy
   * of a dead run (or of this one, which is not copying now) taken from its copier and deleted
   * unless instances count on it (a pack copied again over the one they are replicated in). Returns
   * how many it finished.
   */
  int recover(BlobStore replica) throws SQLException, IOException {
    int finished = 0;
    for (ReplicaPackIndex.Journal j : index.unfinished(Long.toString(run.id()))) {
      if (ReplicaPackIndex.SWITCHED.equals(j.state())) {
        deleteSuperseded(replica, j);
      } else if (!abandon(j.packBlobName(), j.owner(), replica)) {
        continue;
      }
      LOG.infof("replica: finished %s pack copy %s of an earlier run", j.state(), j.packBlobName());
      finished++;
    }
    return finished;
  }

  /** Deletes the replica objects a switched pack replaces, then its journal row. */
  private void deleteSuperseded(BlobStore replica, ReplicaPackIndex.Journal j)
      throws SQLException, IOException {
    for (String single : j.superseded()) {
      index.deleteSuperseded(single, () -> replica.delete(single));
    }
    index.forget(j.packBlobName());
  }

  /**
   * A copy nothing counts on: taken from {@code copyOwner} (false when it switched meanwhile),
   * deleted unless instances are replicated in an earlier copy under the same name, then forgotten.
   * A failed delete leaves the row for the next run.
   */
  private boolean abandon(String pack, String copyOwner, BlobStore replica) throws SQLException {
    if (!index.abandon(pack, copyOwner)) {
      return false;
    }
    try {
      if (!index.referenced(pack)) {
        replica.delete(pack);
      }
      index.forget(pack);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("unused replica pack %s left for the next run: %s", pack, e.getMessage());
    }
    return true;
  }

  /** The claimed instances wait out a back-off (a replicated one its claim's lease). */
  private void backOff(NodeStorageConfig.Replica config, List<ReplicaQueue.Claimed> claimed)
      throws SQLException {
    for (ReplicaQueue.Claimed m : claimed) {
      int attempts = m.attempts() + 1;
      queue.markFailed(
          m.location(),
          attempts,
          clock.instant().plus(ReplicationWorker.backoff(config, attempts)));
    }
  }

  private void crash(SeriesPacker.Step step) {
    if (crashAfter == step) {
      crashAfter = null;
      throw new SeriesPacker.SimulatedCrash(step);
    }
  }
}
