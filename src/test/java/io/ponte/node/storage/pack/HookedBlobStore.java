package io.ponte.node.storage.pack;

import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.blob.TierStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A Blob store that runs a step of a test right after the first checked write of a name {@code
 * when} accepts has committed (or after every one, {@link #everyTime}), on the writer's thread:
 * what another claimer does while the writer has not yet marked what it wrote. The step's failure
 * is kept for the test ({@link #failure}).
 */
final class HookedBlobStore implements BlobStore {

  /** A test step that may fail. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private final BlobStore delegate;
  private final Predicate<String> when;
  private final Step step;
  private final AtomicBoolean ran = new AtomicBoolean();
  private volatile Throwable failure;
  private volatile boolean everyTime;

  HookedBlobStore(BlobStore delegate, Predicate<String> when, Step step) {
    this.delegate = delegate;
    this.when = when;
    this.step = step;
  }

  /** The step runs after every such write, not only the first. */
  HookedBlobStore everyTime() {
    this.everyTime = true;
    return this;
  }

  /** Whether the step ran. */
  boolean ran() {
    return ran.get();
  }

  /** What the step threw, if anything. */
  Throwable failure() {
    return failure;
  }

  @Override
  public void writeChecked(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    delegate.writeChecked(name, data, length, meta);
    if (when.test(name) && (ran.compareAndSet(false, true) || everyTime)) {
      try {
        step.run();
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  @Override
  public void write(String name, InputStream data, long length, Map<String, String> metadata)
      throws IOException {
    delegate.write(name, data, length, metadata);
  }

  @Override
  public void write(String name, java.nio.file.Path file, long length, Map<String, String> meta)
      throws IOException {
    delegate.write(name, file, length, meta);
  }

  @Override
  public InputStream read(String name, long offset, long length) throws IOException {
    return delegate.read(name, offset, length);
  }

  @Override
  public Map<String, String> metadata(String name) throws IOException {
    return delegate.metadata(name);
  }

  @Override
  public BlobStat stat(String name) throws IOException {
    return delegate.stat(name);
  }

  @Override
  public void setTier(String name, BlobTier tier) throws IOException {
    delegate.setTier(name, tier);
  }

  @Override
  public TierStatus tier(String name) throws IOException {
    return delegate.tier(name);
  }

  @Override
  public Instant rehydrate(String name, BlobTier target) throws IOException {
    return delegate.rehydrate(name, target);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public Iterable<ListedBlob> list() throws IOException {
    return delegate.list();
  }

  @Override
  public Iterable<ListedBlob> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void ping() throws IOException {
    delegate.ping();
  }
}
