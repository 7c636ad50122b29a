package io.ponte.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * A bounded queue with one writer thread: the thread takes whatever has queued up (at most the
 * batch size) and hands it to the batch writer, so callers share one commit per batch. The queue
 * and its thread are made on first use, with the sizes read then: a process that never writes (a
 * node never writes the hub's audit chain) never runs the thread, and owners may pass sizes from a
 * configuration injected after their construction.
 *
 * <p>The batch writer must not throw; what it cannot write is its own to report. At {@link
 * #stop(Duration)} the queue is drained before the thread ends.
 */
public final class GroupCommitQueue<T> {

  private static final Logger LOG = Logger.getLogger(GroupCommitQueue.class);

  private final String threadName;
  private final IntSupplier capacity;
  private final IntSupplier batchSize;
  private final Consumer<List<T>> writeBatch;

  private volatile BlockingQueue<T> queue;
  private volatile Thread writer;
  private volatile boolean stopping;

  public GroupCommitQueue(
      String threadName,
      IntSupplier capacity,
      IntSupplier batchSize,
      Consumer<List<T>> writeBatch) {
    this.threadName = threadName;
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.writeBatch = writeBatch;
  }

  /** Queues {@code item} without waiting; false when the queue is full. */
  public boolean offer(T item) {
    return queue().offer(item);
  }

  /** Queues {@code item}, waiting for room. */
  public void put(T item) throws InterruptedException {
    queue().put(item);
  }

  private BlockingQueue<T> queue() {
    BlockingQueue<T> q = queue;
    if (q == null) {
      synchronized (this) {
        q = queue;
        if (q == null) {
          q = new ArrayBlockingQueue<>(capacity.getAsInt());
          queue = q;
          Thread t = new Thread(this::run, threadName);
          t.setDaemon(true);
          writer = t;
          t.start();
        }
      }
    }
    return q;
  }

  private void run() {
    int max = batchSize.getAsInt();
    List<T> batch = new ArrayList<>(max);
    while (!stopping || !queue.isEmpty()) {
      batch.clear();
      try {
        T first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, max - 1);
      } catch (InterruptedException e) {
        if (stopping) {
          continue;
        }
        Thread.currentThread().interrupt();
        return;
      }
      try {
        writeBatch.accept(batch);
      } catch (RuntimeException e) {
        // The writer reports its own failures; this keeps the thread alive should it not.
        LOG.errorf(e, "%s: a batch of %d failed", threadName, batch.size());
      }
    }
  }

  /** Lets the queue drain (waiting at most {@code wait}), then stops the thread. */
  public void stop(Duration wait) {
    stopping = true;
    Thread t = writer;
    if (t != null) {
      try {
        t.join(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
