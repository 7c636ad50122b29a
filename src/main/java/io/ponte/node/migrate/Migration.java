package io.ponte.node.migrate;

import io.ponte.node.index.PackIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.CacheEvictor;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.pack.PackingJob;
import io.ponte.node.storage.pack.SeriesPacker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One run of {@code ponte migrate --from DIR}: a walker lists the tree (never held whole: batches
 * of {@value #BATCH} files, each checked against the checkpoint), {@code workers} threads store the
 * files not done yet through the node's {@link InstanceStore}, a writer checkpoints their outcomes
 * in batches and hands what was stored to {@link MigrationPacks}, which packs it per series (each
 * pack read back and matched entry by entry: the files' verification). The run holds the packers'
 * lock (the node's packing job waits) and first finishes what a killed packer left. At its end,
 * what no pack took goes up through the node's own {@link BlobUploadWorker} (the tool runs without
 * schedulers) and is verified by re-reading its blob; the cache is evicted as a serving node does.
 * Killed at any point, the next run skips what the checkpoint holds, redoes the rest (the store
 * answers "duplicate" for what it already took), packs what the last run had stored but not packed
 * and verifies what it had not.
 */
@ApplicationScoped
class Migration {

  private static final Logger LOG = Logger.getLogger(Migration.class);

  static final int BATCH = 256;
  private static final int CHECKPOINT_BATCH = 500;

  @Inject InstanceStore store;

  @Inject MigrationCheckpoint checkpoint;

  @Inject BlobVerification verification;

  @Inject BlobUploadWorker uploader;

  @Inject CacheEvictor evictor;

  @Inject NodeStorage storage;

  @Inject SeriesPacker packer;

  @Inject PackIndex packIndex;

  @Inject PackingJob packingJob;

  /** How long a run waits for the packers' lock (the node's packing job may hold it). */
  static final java.time.Duration LOCK_WAIT = java.time.Duration.ofMinutes(2);

  /** Another packer (the node's packing job, or another migrate) kept the lock too long. */
  static final class PackerBusyException extends IOException {
    PackerBusyException() {
      super(
          "another packer (the node's packing job, or another ponte migrate) holds the packers'"
              + " lock: try again later");
    }
  }

  /** The checkpoint's name for a directory source: its real path, so aliases are one source. */
  static String sourceKey(Path dir) throws IOException {
    return "file:" + dir.toRealPath();
  }

  MigrationReport run(MigrationOptions options, PrintStream out, boolean terminal)
      throws IOException, InterruptedException {
    Path root = options.from().toRealPath();
    String source = sourceKey(root);
    return run(
        source,
        options,
        out,
        terminal,
        BandwidthLimit.megabytesPerSecond(options.bandwidthMegabytesPerSecond()),
        workers -> {
          // The dispatching walk only runs as fast as the workers; a second walk (metadata only)
          // counts the tree ahead of it so that the progress line has a total and an ETA early.
          Thread counter = daemon(() -> count(root, workers.progress()), "migrate-count");
          counter.start();
          Walker walker =
              new Walker(root, workers.report(), batch -> storeNew(source, batch, workers));
          Files.walkFileTree(root, walker);
          walker.flush();
          counter.interrupt();
        });
  }

  /** Hands the files of a walked batch that the checkpoint does not hold to the workers. */
  private void storeNew(String source, List<SourceFile> batch, Workers workers)
      throws SQLException, InterruptedException {
    MigrationReport report = workers.report();
    Set<String> done = checkpoint.done(source, batch);
    for (SourceFile file : batch) {
      if (done.contains(file.path())) {
        report.alreadyDone.incrementAndGet();
        continue;
      }
      workers.inFlight().acquire();
      workers
          .pool()
          .execute(
              () -> {
                try {
                  FileOutcome o = workers.migrator().migrate(file);
                  report.count(o);
                  workers.outcomes().put(o);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  LOG.errorf(e, "migrating %s failed", file.path());
                  report.count(
                      new FileOutcome(file, FileOutcome.Kind.FAILED, null, String.valueOf(e)));
                } finally {
                  workers.inFlight().release();
                }
              });
    }
  }

  /**
   * One run from a {@link RemoteSource}: its studies one after the other, each instance spooled as
   * it arrives and stored by the workers exactly as a file of a directory is (see {@link
   * RemoteStudies}); the same checkpoint, uploads and verification.
   */
  MigrationReport run(
      MigrationOptions options, RemoteSource remote, PrintStream out, boolean terminal)
      throws IOException, InterruptedException {
    String source = remote.key();
    // The bandwidth limit applies where the bytes arrive (the spooling), not to the stores.
    return run(
        source,
        options,
        out,
        terminal,
        BandwidthLimit.NONE,
        workers ->
            new RemoteStudies(
                    remote,
                    source,
                    checkpoint,
                    workers.migrator(),
                    workers.pool(),
                    workers.inFlight(),
                    workers.outcomes(),
                    workers.report(),
                    BandwidthLimit.megabytesPerSecond(options.bandwidthMegabytesPerSecond()),
                    options.remote().spoolDir())
                .run());
  }

  /** What hands the source's files to the workers: a directory's walk, a remote's studies. */
  @FunctionalInterface
  private interface Feed {
    void run(Workers workers) throws IOException, InterruptedException;
  }

  /**
   * The workers a feed hands files to ({@code inFlight} bounds the files queued for them, so that
   * the feed never runs far ahead), and where their outcomes and counts go.
   */
  private record Workers(
      LegacyFileMigrator migrator,
      ExecutorService pool,
      Semaphore inFlight,
      BlockingQueue<FileOutcome> outcomes,
      MigrationReport report,
      MigrationProgress progress) {}

  /**
   * Either run: takes the packers' lock, starts the {@link Background}, lets {@code feed} hand the
   * source's files to the workers, then waits for them and finishes (checkpoint, packs, uploads and
   * verification); the lock is released however it ends.
   */
  private MigrationReport run(
      String source,
      MigrationOptions options,
      PrintStream out,
      boolean terminal,
      BandwidthLimit storeBandwidth,
      Feed feed)
      throws IOException, InterruptedException {
    MigrationReport report = new MigrationReport();
    MigrationProgress progress = new MigrationProgress(report, out, terminal);
    LegacyFileMigrator migrator =
        new LegacyFileMigrator(
            store,
            new IngestSource(IngestSource.Protocol.MIGRATION, "ponte migrate", source),
            storeBandwidth);
    long started = System.nanoTime();
    int workers = Math.max(1, options.workers());
    PackIndex.Lock lock = packersLock(out);
    Background background;
    boolean running = false;
    try {
      background = new Background(source, options, report, progress, terminal, lock);
      running = true;
    } finally {
      if (!running) {
        // Interrupted too: nothing else would release the lock before the process ends.
        closeQuietly(lock);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> daemon(r, "migrate-worker"));
    try {
      feed.run(
          new Workers(
              migrator, pool, new Semaphore(workers * 4), background.outcomes, report, progress));
      progress.walkDone(report.seen.get());
      pool.shutdown();
      pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
      background.finish();
    } finally {
      pool.shutdownNow();
      background.stop();
      closeQuietly(lock);
    }
    return background.report(started);
  }

  /**
   * What runs beside the workers whatever the source: the progress ticker, the checkpoint writer
   * and the uploader/verifier.
   */
  private final class Background {
    final BlockingQueue<FileOutcome> outcomes = new ArrayBlockingQueue<>(CHECKPOINT_BATCH * 4);
    private final String source;
    private final MigrationOptions options;
    private final MigrationReport report;
    private final MigrationProgress progress;
    private final ScheduledExecutorService ticker;
    private final CheckpointWriter writer;
    private final Thread writerThread;
    private final Uploads uploads;
    private final Thread uploadThread;
    private final MigrationPacks packs;

    /**
     * Finishes what a killed packer left, offers the files an earlier run stored but did not verify
     * to the packs, then starts the threads.
     */
    Background(
        String source,
        MigrationOptions options,
        MigrationReport report,
        MigrationProgress progress,
        boolean terminal,
        PackIndex.Lock lock)
        throws IOException, InterruptedException {
      packs =
          new MigrationPacks(
              packer,
              packIndex,
              checkpoint,
              source,
              report,
              Math.max(1, Math.min(4, options.workers())),
              options.packInstances());
      try {
        int finished = packingJob.finishUnfinished(lock);
        if (finished > 0) {
          LOG.infof("finished %d packs a killed run had left", finished);
        }
        resume(source, packs);
      } catch (SQLException e) {
        packs.stop();
        throw new IOException("the node index is unavailable: " + e.getMessage(), e);
      } catch (IOException | InterruptedException | RuntimeException e) {
        packs.stop();
        throw e;
      }
      this.source = source;
      this.options = options;
      this.report = report;
      this.progress = progress;
      ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "migrate-progress"));
      long tick = terminal ? 500 : Math.max(1, options.progressInterval().toMillis());
      ticker.scheduleAtFixedRate(progress::print, tick, tick, TimeUnit.MILLISECONDS);
      writer = new CheckpointWriter(source, outcomes, packs);
      writerThread = daemon(writer, "migrate-checkpoint");
      writerThread.start();
      uploads = new Uploads(source, Math.max(1, options.workers()), report, progress);
      uploadThread = daemon(uploads, "migrate-upload");
      uploadThread.start();
    }

    /**
     * Once every outcome is queued: checkpoint them, write the last packs, then upload and verify
     * what no pack took.
     */
    void finish() throws InterruptedException {
      writer.finish();
      writerThread.join();
      packs.finish();
      uploads.finish(options.verifyPatience().toMillis());
      uploadThread.join();
    }

    void stop() {
      writer.finish();
      packs.stop();
      uploads.stop();
      ticker.shutdownNow();
    }

    MigrationReport report(long started) {
      try {
        report.unverified.set(checkpoint.unverifiedCount(source));
      } catch (SQLException e) {
        LOG.warnf("could not count unverified files: %s", e.getMessage());
      }
      report.durationSeconds((System.nanoTime() - started) / 1e9);
      progress.print();
      progress.end();
      return report;
    }
  }

  /** Counts the tree's regular files and gives the total to the progress line. */
  private static void count(Path root, MigrationProgress progress) {
    long[] files = {0};
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (Thread.currentThread().isInterrupted()) {
                return FileVisitResult.TERMINATE;
              }
              if (attrs.isRegularFile()) {
                files[0]++;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              files[0]++;
              return FileVisitResult.CONTINUE;
            }
          });
      if (!Thread.currentThread().isInterrupted()) {
        progress.walkDone(files[0]);
      }
    } catch (IOException e) {
      LOG.debugf("counting the tree failed: %s", e.getMessage());
    }
  }

  /** The packers' lock, waited for up to {@link #LOCK_WAIT}. */
  private PackIndex.Lock packersLock(PrintStream out) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    boolean said = false;
    while (true) {
      PackIndex.Lock lock;
      try {
        lock = packIndex.tryLock();
      } catch (SQLException e) {
        throw new IOException("the node index is unavailable: " + e.getMessage(), e);
      }
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new PackerBusyException();
      }
      if (!said) {
        out.println("waiting for the node's packing job to finish (the packers' lock)");
        said = true;
      }
      Thread.sleep(2_000);
    }
  }

  private static void closeQuietly(PackIndex.Lock lock) {
    try {
      lock.close();
    } catch (SQLException e) {
      // The lock is the session's: closing the connection releases it anyway.
      LOG.debugf("releasing the packers' lock: %s", e.getMessage());
    }
  }

  /** Offers every stored, unverified file of the source (an earlier run's) to the packs. */
  private void resume(String source, MigrationPacks packs)
      throws SQLException, InterruptedException {
    String after = "";
    while (true) {
      List<MigrationCheckpoint.Unverified> page = checkpoint.unverified(source, after, 500);
      if (page.isEmpty()) {
        return;
      }
      packs.offer(page.stream().map(MigrationCheckpoint.Unverified::sopInstanceUid).toList());
      after = page.get(page.size() - 1).path();
    }
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @FunctionalInterface
  interface BatchSink {
    void accept(List<SourceFile> batch) throws SQLException, InterruptedException;
  }

  /**
   * Lists regular files (symbolic links are not followed), batch by batch; a file or directory it
   * cannot read is reported unreadable and the walk goes on.
   */
  static final class Walker extends SimpleFileVisitor<Path> {
    private final Path root;
    private final MigrationReport report;
    private final BatchSink sink;
    private final List<SourceFile> batch = new ArrayList<>(BATCH);

    Walker(Path root, MigrationReport report, BatchSink sink) {
      this.root = root;
      this.report = report;
      this.sink = sink;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      if (!attrs.isRegularFile()) {
        return FileVisitResult.CONTINUE;
      }
      report.seen.incrementAndGet();
      String relative =
          root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      batch.add(new SourceFile(relative, file, attrs.size(), attrs.lastModifiedTime().toMillis()));
      if (batch.size() >= BATCH) {
        flush();
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      report.unreadable(
          root.relativize(file).toString(), "cannot be read: " + e.getClass().getSimpleName());
      return FileVisitResult.CONTINUE;
    }

    void flush() throws IOException {
      try {
        sink.accept(List.copyOf(batch));
      } catch (SQLException e) {
        throw new IOException("the checkpoint could not be read: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      batch.clear();
    }
  }

  /** Writes outcomes to the checkpoint, {@value #CHECKPOINT_BATCH} at a time or every second. */
  private final class CheckpointWriter implements Runnable {
    private final String source;
    private final BlockingQueue<FileOutcome> queue;
    private final MigrationPacks packs;
    private final AtomicBoolean finishing = new AtomicBoolean();

    CheckpointWriter(String source, BlockingQueue<FileOutcome> queue, MigrationPacks packs) {
      this.source = source;
      this.queue = queue;
      this.packs = packs;
    }

    void finish() {
      finishing.set(true);
    }

    @Override
    public void run() {
      List<FileOutcome> batch = new ArrayList<>(CHECKPOINT_BATCH);
      while (true) {
        try {
          FileOutcome first = queue.poll(1, TimeUnit.SECONDS);
          if (first != null) {
            batch.add(first);
            queue.drainTo(batch, CHECKPOINT_BATCH - 1);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (!batch.isEmpty()) {
          write(batch);
          batch.clear();
        }
        try {
          packs.flushIdle();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if ((finishing.get() && queue.isEmpty()) || Thread.currentThread().isInterrupted()) {
          return;
        }
      }
    }

    /** Checkpoints the batch, then offers what it stored to the packs (only checkpointed files). */
    private void write(List<FileOutcome> batch) {
      try {
        checkpoint.record(source, batch, Instant.now());
      } catch (SQLException e) {
        // Not fatal: these files are redone by the next run (the store answers "duplicate").
        LOG.warnf("checkpoint of %d files failed: %s", batch.size(), e.getMessage());
        return;
      }
      List<String> stored = new ArrayList<>(batch.size());
      for (FileOutcome o : batch) {
        if (o.sopInstanceUid() != null && o.kind() != FileOutcome.Kind.FAILED) {
          stored.add(o.sopInstanceUid());
        }
      }
      try {
        packs.offer(stored);
      } catch (SQLException e) {
        // Packed (or uploaded one by one) by the next run, which offers every unverified file.
        LOG.warnf("%d stored files not offered to packs: %s", stored.size(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Uploads through the node's worker and verifies what was uploaded, over and over while files are
   * stored; at the end, until every stored file of the source is verified or no progress was made
   * for the patience given.
   */
  private final class Uploads implements Runnable {
    private final String source;
    private final ExecutorService verifiers;
    private final MigrationReport report;
    private volatile boolean finishing;
    private volatile boolean stopped;
    private volatile long patienceMillis;

    private final MigrationProgress progress;

    Uploads(String source, int threads, MigrationReport report, MigrationProgress progress) {
      this.source = source;
      this.report = report;
      this.progress = progress;
      this.verifiers = Executors.newFixedThreadPool(threads, r -> daemon(r, "migrate-verify"));
    }

    void finish(long patienceMillis) {
      this.patienceMillis = patienceMillis;
      finishing = true;
    }

    void stop() {
      stopped = true;
      verifiers.shutdownNow();
    }

    @Override
    public void run() {
      long lastProgress = System.nanoTime();
      try {
        while (!stopped) {
          int uploaded = 0;
          int verified = 0;
          try {
            // While files are stored, the packs take them; only the end uploads what is left
            // one by one (an upload now would take instances before their pack claims them).
            if (finishing) {
              uploaded = uploader.uploadDue();
            }
            evictor.evictTo(storage.config().maxCacheBytes());
            if (finishing) {
              verified = verifyPass();
            }
          } catch (SQLException e) {
            LOG.warnf("upload/verify round skipped: %s", e.getMessage());
          }
          if (uploaded > 0 || verified > 0) {
            lastProgress = System.nanoTime();
          }
          if (finishing) {
            long left = checkpoint.unverifiedCount(source);
            progress.verifying(left);
            if (left == 0 || System.nanoTime() - lastProgress > patienceMillis * 1_000_000L) {
              return;
            }
          }
          if (uploaded == 0 && verified == 0) {
            Thread.sleep(500);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException e) {
        LOG.warnf("verification stopped: %s", e.getMessage());
      } finally {
        verifiers.shutdownNow();
      }
    }

    /** Verifies the source's unverified files once over; returns how many it verified. */
    private int verifyPass() throws SQLException, InterruptedException {
      int total = 0;
      String after = "";
      while (!stopped) {
        List<MigrationCheckpoint.Unverified> page = checkpoint.unverified(source, after, 500);
        if (page.isEmpty()) {
          break;
        }
        List<Future<BlobVerification.Result>> results = new ArrayList<>(page.size());
        for (MigrationCheckpoint.Unverified u : page) {
          results.add(verifiers.submit(() -> verification.verify(u.sopInstanceUid())));
        }
        List<String> verified = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
          try {
            if (results.get(i).get() == BlobVerification.Result.VERIFIED) {
              verified.add(page.get(i).path());
            }
          } catch (java.util.concurrent.ExecutionException e) {
            LOG.warnf("verifying %s failed: %s", page.get(i).path(), e.getCause().getMessage());
          }
        }
        checkpoint.markVerified(source, verified, Instant.now());
        report.verified.addAndGet(verified.size());
        total += verified.size();
        after = page.get(page.size() - 1).path();
      }
      return total;
    }
  }
}
