package io.ponte.node.storage.pack;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.PackIndex;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.UploadHold;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Packing at ingest ({@code ponte.node.storage.pack.at-ingest.*}): a new C-STORE or STOW-RS
 * instance is held from the upload queue for up to {@code max-hold}; once its series has been quiet
 * for {@code quiet-period}, a run claims the series' held instances and {@link SeriesPacker} writes
 * them as one pack (or a few) from their cache files, checks it on the way and switches them to it
 * as UPLOADED: one PUT per series instead of one per instance. Until then they are PENDING as any
 * new instance is: served from the cache, never evicted, published to the hub as usual (the
 * publisher does not wait for Blob). What a run does not pack goes up on its own through the upload
 * queue: instances of a series still receiving after {@code max-hold}, a quiet series of one
 * (released at once), a pack that failed (due at once). A pack killed mid-way leaves its claim to a
 * dead run: released at the next start (or by a live process's periodic release), the series is
 * held and packed again, and the next run deletes the unused pack, as the packing job does.
 */
@ApplicationScoped
public class IngestPacker implements UploadHold {

  private static final Logger LOG = Logger.getLogger(IngestPacker.class);

  /** The longest hold (documented bound of {@code max-hold}): new instances never wait longer. */
  static final Duration MAX_HOLD = Duration.ofMinutes(5);

  @Inject NodeStorage storage;

  @Inject PackConfig config;

  @Inject PackIndex index;

  @Inject SeriesPacker packer;

  Clock clock = Clock.systemUTC();

  /** The pack threads, made on first use (a hub never packs). */
  private ExecutorService packs;

  /** What one run did; {@code busy}: another packer held the lock, nothing was done. */
  public record Run(
      boolean busy,
      int recovered,
      int series,
      int packs,
      int instances,
      int failed,
      String stoppedBy) {}

  @Override
  public Instant uploadDueAt(IngestSource.Protocol protocol, Instant receivedAt, long size) {
    PackConfig.AtIngest at = config.atIngest();
    boolean received =
        protocol == IngestSource.Protocol.DIMSE || protocol == IngestSource.Protocol.STOW_RS;
    if (!at.enabled() || !received || size > at.maxInstanceBytes()) {
      return receivedAt;
    }
    return receivedAt.plus(maxHold());
  }

  private Duration maxHold() {
    Duration hold = config.atIngest().maxHold();
    return hold.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : hold;
  }

  /**
   * A claim's lease: only for a live run that lost track of a claim (a dead run's claims are
   * released at once); a claim is told from a hold by its owner, not by its time.
   */
  private Duration lease() {
    return config.atIngest().lease();
  }

  @Scheduled(
      every = "${ponte.node.storage.pack.at-ingest.interval:1s}",
      delayed = "${ponte.node.storage.pack.at-ingest.interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode() || !config.atIngest().enabled()) {
      return;
    }
    try {
      Run run = run(clock.instant());
      if (run.stoppedBy() != null) {
        LOG.warnf("packing at ingest stopped: %s", run.stoppedBy());
      }
    } catch (SQLException e) {
      LOG.warnf("packing at ingest skipped: index unavailable (%s)", e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    if (packs != null) {
      packs.shutdownNow();
    }
  }

  /**
   * One run as of {@code now}: under the packers' lock, finishes what a killed pack left, then
   * packs the series quiet since {@code now - quiet-period}, {@code concurrency} at a time.
   */
  public Run run(Instant now) throws SQLException {
    PackConfig.AtIngest at = config.atIngest();
    try (PackIndex.Lock lock = index.tryLock()) {
      if (lock == null) {
        // The packing job (or the command) is running: held instances wait, at most max-hold.
        return new Run(true, 0, 0, 0, 0, 0, null);
      }
      int recovered;
      try {
        recovered = packer.recover(storage.blobStore());
      } catch (IOException e) {
        return new Run(false, 0, 0, 0, 0, 0, "Blob failed: " + e.getMessage());
      }
      List<PackIndex.SeriesDue> due =
          // Series of one too: a pack of one gains nothing, so it is released at once, not held.
          index.pendingSeriesDue(
              now,
              now.minus(at.quietPeriod()),
              at.maxInstanceBytes(),
              1,
              Math.max(1, at.seriesPerRun()));
      List<Future<Packed>> results = new ArrayList<>(due.size());
      ExecutorService pool = pool(Math.max(1, at.concurrency()));
      SQLException indexFailure = null;
      for (PackIndex.SeriesDue series : due) {
        // Every series claimed before its pack thread is free: one waiting behind others stays
        // claimed (the lease), so its hold running out meanwhile does not send its instances up
        // one by one (measured: up to a third of a round's instances, when Blob was slow).
        List<InstanceLocation> held;
        try {
          held =
              index.claimHeld(
                  series.series(), now, at.maxInstanceBytes(), clock.instant().plus(lease()));
        } catch (SQLException e) {
          indexFailure = e;
          break;
        }
        results.add(pool.submit(() -> pack(series, held)));
      }
      int packed = 0;
      int instances = 0;
      int failed = 0;
      String stoppedBy = null;
      for (Future<Packed> result : results) {
        // Every series is waited for, so that none outlives the run (and its lock).
        try {
          Packed p = result.get();
          packed += p.packs();
          instances += p.instances();
          if (p.error() != null) {
            failed++;
            stoppedBy = p.error();
          }
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SQLException sql) {
            indexFailure = indexFailure == null ? sql : indexFailure;
          } else if (e.getCause() instanceof Error error) {
            throw error;
          } else {
            throw new IllegalStateException("packing at ingest failed", e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while packing", e);
        }
      }
      if (indexFailure != null) {
        throw indexFailure;
      }
      return new Run(false, recovered, due.size(), packed, instances, failed, stoppedBy);
    }
  }

  /** One series' outcome: {@code error} when its pack failed and it went to single uploads. */
  private record Packed(int packs, int instances, String error) {}

  private Packed pack(PackIndex.SeriesDue due, List<InstanceLocation> held) throws SQLException {
    List<String> sops = held.stream().map(InstanceLocation::sopInstanceUid).toList();
    if (held.size() < Math.max(2, config.minInstances())) {
      index.releaseHeld(sops, clock.instant(), false);
      return new Packed(0, 0, null);
    }
    SeriesPacker.Outcome done;
    try {
      done = packer.packPending(due.study(), due.series(), held);
    } catch (IOException | SQLException | RuntimeException e) {
      // Released on every failure (an index failure too: else they stayed claimed until their
      // lease ran out); a failure of the release itself leaves them to the lease.
      LOG.warnf(
          "pack of %d new instances of series %s failed, they go up one by one: %s",
          held.size(), due.series(), e.getMessage());
      try {
        index.releaseHeld(sops, clock.instant(), true);
      } catch (SQLException release) {
        if (!(e instanceof SQLException)) {
          release.addSuppressed(e);
          throw release;
        }
        e.addSuppressed(release);
      }
      if (e instanceof SQLException sql) {
        throw sql;
      }
      return new Packed(0, 0, e.getMessage());
    }
    // What is still PENDING (a last pack of one; a refused pack) goes up on its own.
    index.releaseHeld(sops, clock.instant(), done.refused() > 0);
    return new Packed(
        done.packs(),
        done.instances(),
        done.refused() > 0 ? "pack refused by its verification" : null);
  }

  private synchronized ExecutorService pool(int concurrency) {
    if (packs == null) {
      AtomicInteger n = new AtomicInteger();
      packs =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "pack-at-ingest-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return packs;
  }
}
