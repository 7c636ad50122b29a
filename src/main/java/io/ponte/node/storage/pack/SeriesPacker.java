package io.ponte.node.storage.pack;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.PackIndex;
import io.ponte.node.storage.CheckedBytes;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.role.PonteConfig;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Packs one series, crash-safe at every step: the journal row first (WRITING), then the pack blob,
 * streamed from each instance's cache file or else its blob, each instance's SHA-256 checked
 * against the index as it streams and each block's MD5 checked by the Blob service as it arrives
 * (with {@code verify=reread}, and always for {@code ponte migrate}, the pack is then also read
 * back whole and every instance's SHA-256 compared again); then, in one transaction, every instance
 * pointed at its range in the pack (SWITCHED); only then the single blobs deleted, and the journal
 * row last. A kill -9 before the switch leaves the single blobs as they were (the next run deletes
 * the unused pack); after it, the pack serves (the next run deletes what single blobs are left).
 */
@ApplicationScoped
public class SeriesPacker {

  private static final Logger LOG = Logger.getLogger(SeriesPacker.class);

  /** The steps after which a test may stop a run as a kill -9 would. */
  public enum Step {
    JOURNALED,
    WRITTEN,
    SWITCHED
  }

  /** Stops a run at a step, leaving everything as a kill -9 there would (tests only). */
  public static final class SimulatedCrash extends Error {
    public SimulatedCrash(Step step) {
      super("simulated crash after " + step);
    }
  }

  @Inject NodeStorage storage;

  @Inject PackIndex index;

  @Inject InstanceReader reader;

  @Inject PackConfig config;

  @Inject PonteConfig ponte;

  @Inject PackMetrics metrics;

  Clock clock = Clock.systemUTC();

  private volatile Step crashAfter;

  /** Tests: the next pack stops after {@code step} (null: never). */
  public void crashAfter(Step step) {
    this.crashAfter = step;
  }

  /** What packing a series did. */
  public record Outcome(int packs, int instances, int singlesDeleted, int refused) {
    Outcome plus(Outcome o) {
      return new Outcome(
          packs + o.packs,
          instances + o.instances,
          singlesDeleted + o.singlesDeleted,
          refused + o.refused);
    }
  }

  /**
   * Packs the series' unpacked instances, in packs of at most {@code max-pack-bytes}. Throws
   * IOException when Blob fails (nothing is switched that was not verified).
   */
  public Outcome pack(String study, String series) throws IOException, SQLException {
    PackIndex.Members members = index.members(series);
    return packAll(study, series, members.instances(), members.accessTier(), false, reread());
  }

  /**
   * Packing at ingest: the series' PENDING instances the caller claimed ({@link
   * PackIndex#claimHeld}), written from their cache files in the same way, and switched to as
   * UPLOADED. What is left PENDING (a last pack of one, a refused pack, a Blob failure:
   * IOException) is the caller's to release. Before each pack the claims on what is left are
   * renewed (a large series packs its packs one after another, which may outlast one lease); a
   * claim lost anyway (its lease ran out and the upload worker took it) is not switched to.
   */
  public Outcome packPending(String study, String series, List<InstanceLocation> held)
      throws IOException, SQLException {
    return packAll(study, series, held, BlobTier.HOT.name(), true, reread());
  }

  private boolean reread() {
    return config.verify() == PackConfig.Verify.REREAD;
  }

  private Outcome packAll(
      String study,
      String series,
      List<InstanceLocation> instances,
      String accessTier,
      boolean pending,
      boolean reread)
      throws IOException, SQLException {
    Outcome done = new Outcome(0, 0, 0, 0);
    List<InstanceLocation> group = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < instances.size(); i++) {
      InstanceLocation member = instances.get(i);
      if (!group.isEmpty() && bytes + member.size() > config.maxPackBytes()) {
        renewHeld(pending, instances.subList(i - group.size(), instances.size()));
        done = done.plus(packGroup(study, series, group, accessTier, pending, true, reread));
        group = new ArrayList<>();
        bytes = 0;
      }
      group.add(member);
      bytes += member.size();
    }
    if (group.size() >= 2) {
      renewHeld(pending, group);
      done = done.plus(packGroup(study, series, group, accessTier, pending, true, reread));
    }
    return done;
  }

  /** At ingest: the lease on {@code left} (claimed with PackIndex#claimHeld) starts again. */
  private void renewHeld(boolean pending, List<InstanceLocation> left) throws SQLException {
    if (pending) {
      index.renew(
          left.stream().map(InstanceLocation::sopInstanceUid).toList(),
          clock.instant().plus(config.atIngest().lease()),
          true);
    }
  }

  /**
   * {@code ponte migrate}: instances not uploaded yet (PENDING, claimed with {@link
   * PackIndex#claimPending}), streamed from their cache files, into exactly one pack, even of one
   * instance (the caller bounds the group): written (checked as any pack is), then always read back
   * and compared entry by entry with the SHA-256 the store computed (migration verifies by
   * re-reading, whatever {@code verify} says), then switched to as UPLOADED in one transaction,
   * only if every instance is still claimed by this run. An Outcome of 0 packs: refused by its
   * checks or the instances changed meanwhile, or a claim was lost (what is still claimed stays
   * so). Throws IOException when Blob fails.
   */
  public Outcome packPendingGroup(String study, String series, List<InstanceLocation> members)
      throws IOException, SQLException {
    return packGroup(study, series, members, BlobTier.HOT.name(), true, false, true);
  }

  private Outcome packGroup(
      String study,
      String series,
      List<InstanceLocation> members,
      String accessTier,
      boolean pending,
      boolean held,
      boolean reread)
      throws IOException, SQLException {
    String name = PackFormat.blobName(study, series, UUID.randomUUID().toString());
    List<PackFormat.Entry> entries = new ArrayList<>();
    List<PackIndex.Placement> placements = new ArrayList<>();
    long offset = 0;
    for (InstanceLocation m : members) {
      entries.add(new PackFormat.Entry(m.sopInstanceUid(), offset, m.size(), m.sha256()));
      placements.add(new PackIndex.Placement(m, offset));
      offset += m.size();
    }
    PackFormat.Index packIndex =
        new PackFormat.Index(
            PackFormat.FORMAT, ponte.site().orElse(null), study, series, List.copyOf(entries));
    byte[] trailer = PackFormat.trailer(packIndex);
    long total = offset + trailer.length;
    BlobStore blob = storage.blobStore();

    index.begin(name, study, series, members.size(), total, clock.instant());
    crash(Step.JOURNALED);
    String mismatch;
    try {
      List<PackStreams.Part> parts = new ArrayList<>();
      for (InstanceLocation m : members) {
        // Each instance's bytes checked against the index on their way into the pack: a cache
        // file (or single blob) changed since it was indexed ends the write before its commit.
        parts.add(
            () ->
                CheckedBytes.of(
                    reader.open(m).content(),
                    m.size(),
                    m.sha256(),
                    "instance " + m.sopInstanceUid()));
      }
      parts.add(() -> new java.io.ByteArrayInputStream(trailer));
      try (InputStream content = PackStreams.concat(parts)) {
        // Each block with its MD5, refused by the service unless it received exactly that.
        blob.writeChecked(name, content, total, PackFormat.metadata(packIndex));
      }
      mismatch = committedSize(blob, name, total);
      if (mismatch == null) {
        BlobTier tier = BlobTier.of(accessTier);
        if (tier != null && tier != BlobTier.HOT) {
          // The series' instances were moved colder already: the pack joins them.
          blob.setTier(name, tier);
        }
      }
    } catch (CheckedBytes.Changed e) {
      mismatch = e.getMessage();
    } catch (IOException | RuntimeException e) {
      abandon(name, blob);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    if (mismatch == null) {
      crash(Step.WRITTEN);
      if (reread) {
        mismatch = verify(blob, name, packIndex, trailer, total);
      }
    }
    if (mismatch != null) {
      LOG.errorf("pack %s refused, the series stays unpacked: %s", name, mismatch);
      metrics.refused();
      abandon(name, blob);
      return new Outcome(0, 0, 0, 1);
    }
    boolean switched =
        pending
            ? index.switchPendingToPack(name, placements, clock.instant(), held)
            : index.switchToPack(name, placements, accessTier, clock.instant());
    if (!switched) {
      LOG.infof(
          "pack %s unused: the series changed while it was written (or a claim was lost)", name);
      abandon(name, blob);
      return new Outcome(0, 0, 0, 0);
    }
    metrics.written();
    crash(Step.SWITCHED);
    if (pending) {
      // No instance had an object of its own, and the switch ended the journal row.
      LOG.debugf("packed %d new instances of series %s into %s", members.size(), series, name);
      return new Outcome(1, members.size(), 0, 0);
    }
    List<String> singles = members.stream().map(InstanceLocation::blobName).toList();
    int deleted = deleteSuperseded(blob, name, singles);
    LOG.infof(
        "packed %d instances of series %s into %s (%d bytes)", members.size(), series, name, total);
    return new Outcome(1, members.size(), deleted, 0);
  }

  /** Null when the committed pack has {@code total} bytes, else what differs. */
  private static String committedSize(BlobStore blob, String name, long total) throws IOException {
    BlobStat stat = blob.stat(name);
    if (stat == null) {
      return "the pack is not in Blob after its commit";
    }
    return stat.size() == total ? null : "the pack holds " + stat.size() + " bytes, not " + total;
  }

  /**
   * The pack read back whole: each instance's bytes against its indexed SHA-256, then the trailer.
   * Null when all match, else what differs.
   */
  static String verify(
      BlobStore blob, String name, PackFormat.Index packIndex, byte[] trailer, long total)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = blob.read(name)) {
      for (PackFormat.Entry e : packIndex.entries()) {
        MessageDigest digest = Sha256.digest();
        long left = e.length();
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            return "the pack ends inside instance " + e.sop();
          }
          digest.update(buffer, 0, n);
          left -= n;
        }
        if (!Sha256.hex(digest).equals(e.sha256())) {
          return "instance " + e.sop() + " differs from its indexed SHA-256 " + e.sha256();
        }
      }
      byte[] read = in.readNBytes(trailer.length + 1);
      if (!Arrays.equals(read, trailer)) {
        return "its index trailer differs from the one written";
      }
    }
    return null;
  }

  /**
   * Finishes what a killed run (of the packing job or at ingest) left: a WRITING pack is deleted
   * (no instance points at it: its single blobs, or its instances' cache files, still serve), a
   * SWITCHED one's superseded single blobs are deleted. Only under the packers' lock, so that no
   * pack being written now is taken for a leftover. Returns how many it finished.
   */
  public int recover(BlobStore blob) throws SQLException, IOException {
    int finished = 0;
    for (PackIndex.Journal j : index.unfinished()) {
      if (PackIndex.SWITCHED.equals(j.state())) {
        deleteSuperseded(blob, j.packBlobName(), j.superseded());
      } else if (index.referenced(j.packBlobName())) {
        // Cannot happen (the switch sets SWITCHED with the pointers); never delete a pack in use.
        LOG.errorf("pack %s is journaled WRITING but in use: left as it is", j.packBlobName());
        continue;
      } else {
        blob.delete(j.packBlobName());
        index.forget(j.packBlobName());
      }
      LOG.infof("packing: finished %s pack %s of an earlier run", j.state(), j.packBlobName());
      finished++;
    }
    return finished;
  }

  /** Deletes the single blobs a switched pack replaces, then its journal row. */
  int deleteSuperseded(BlobStore blob, String pack, List<String> singles)
      throws IOException, SQLException {
    int deleted = 0;
    for (String single : singles) {
      // Never a name an instance points at again (a repair may have rewritten one out of the pack).
      if (index.deleteSuperseded(single, () -> blob.delete(single))) {
        deleted++;
      }
    }
    index.forget(pack);
    return deleted;
  }

  /** A pack no instance points at: its blob deleted, then its journal row. */
  void abandon(String pack, BlobStore blob) {
    try {
      if (index.referenced(pack)) {
        throw new IllegalStateException("pack " + pack + " is in use: not deleted");
      }
      blob.delete(pack);
      index.forget(pack);
    } catch (IOException | SQLException e) {
      // The journal row stays WRITING: the next run deletes the blob.
      LOG.warnf("unused pack %s left for the next run: %s", pack, e.getMessage());
    }
  }

  private void crash(Step step) {
    if (crashAfter == step) {
      crashAfter = null;
      throw new SimulatedCrash(step);
    }
  }
}
