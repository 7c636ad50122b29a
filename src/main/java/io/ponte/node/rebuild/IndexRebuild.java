package io.ponte.node.rebuild;

import io.ponte.dicom.UID;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.publish.OutboxEnqueuer;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.pack.PackFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the index from the site's Blob container: lists it page by page; skips the objects whose
 * SOP Instance UID (the last segment of the name the node gives an instance) is indexed already,
 * one query per page, so a rerun after an interruption reads only what is left; reads the others
 * with {@code workers} in parallel ({@link BlobObjectIndexer}); then queues every study not yet
 * built for publication to the hub.
 */
@ApplicationScoped
class IndexRebuild {

  private static final int PAGE = 500;

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject BlobObjectIndexer indexer;

  @Inject OutboxEnqueuer outbox;

  Clock clock = Clock.systemUTC();

  RebuildReport run(int workers, PrintStream progress) throws InterruptedException {
    return run(workers, false, progress);
  }

  /** {@code fromReplica}: from the replica's container, copying each object back to the primary. */
  RebuildReport run(int workers, boolean fromReplica, PrintStream progress)
      throws InterruptedException {
    RebuildReport report = new RebuildReport();
    Iterator<ListedBlob> listing;
    try {
      listing = (fromReplica ? storage.replicaStore() : storage.blobStore()).list().iterator();
    } catch (Exception e) {
      report.aborted("the container cannot be listed: " + e.getMessage());
      return report;
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    // Bounds what is listed but not yet handled: a listing page, not the container.
    Semaphore inFlight = new Semaphore(workers * 2);
    long nextProgress = 1000;
    try {
      while (true) {
        List<ListedBlob> page = new ArrayList<>(PAGE);
        boolean end = false;
        try {
          while (page.size() < PAGE && listing.hasNext()) {
            page.add(listing.next());
          }
          end = !listing.hasNext();
        } catch (RuntimeException e) {
          // What was listed is handled; a rerun lists again and skips what is indexed by then.
          report.aborted("listing the container failed: " + e.getMessage());
          end = true;
        }
        Set<String> known = index.indexed(page.stream().map(IndexRebuild::sopOf).toList());
        for (ListedBlob blob : page) {
          if (known.contains(sopOf(blob))) {
            report.add(new ObjectOutcome(blob.name(), ObjectOutcome.Kind.ALREADY_INDEXED, null));
            continue;
          }
          inFlight.acquire();
          pool.execute(
              () -> {
                try {
                  if (PackFormat.isPackName(blob.name())) {
                    report.pack();
                    indexer.indexPack(blob, fromReplica).forEach(report::add);
                  } else {
                    report.add(indexer.index(blob, fromReplica));
                  }
                } catch (RuntimeException e) {
                  report.add(ObjectOutcome.failed(blob.name(), e.toString()));
                } finally {
                  inFlight.release();
                }
              });
        }
        if (report.objects() >= nextProgress) {
          progress.printf("... %d objects, %d indexed%n", report.objects(), report.indexed());
          nextProgress += 1000;
        }
        if (end) {
          break;
        }
      }
    } catch (SQLException e) {
      report.aborted("the index failed: " + e.getMessage());
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.DAYS);
    }
    try {
      report.studiesQueued(outbox.enqueueAllNow(clock.instant()));
    } catch (SQLException e) {
      report.aborted("queueing the studies for publication failed: " + e.getMessage());
    }
    return report;
  }

  /** The SOP Instance UID a name of the node's layout carries ({@code study/series/sop.dcm}). */
  static String sopOf(ListedBlob blob) {
    String name = blob.name();
    if (!name.endsWith(".dcm")) {
      return "";
    }
    String sop = name.substring(name.lastIndexOf('/') + 1, name.length() - ".dcm".length());
    return UID.isValid(sop) ? sop : "";
  }
}
