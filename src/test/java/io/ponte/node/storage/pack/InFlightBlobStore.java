package io.ponte.node.storage.pack;

import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.blob.TierStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Blob store that counts the checked writes (packs) in flight at once. Each write first waits (up
 * to {@code wait}) for a second one to be in flight and then holds a moment, so that packs a packer
 * runs together are seen together, and more than its bound would be.
 */
final class InFlightBlobStore implements BlobStore {

  private final BlobStore delegate;
  private final Duration wait;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();

  InFlightBlobStore(BlobStore delegate, Duration wait) {
    this.delegate = delegate;
    this.wait = wait;
  }

  /** The most checked writes seen in flight at once. */
  int max() {
    return max.get();
  }

  @Override
  public void writeChecked(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    int now = inFlight.incrementAndGet();
    max.accumulateAndGet(now, Math::max);
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      while (inFlight.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(wait.toMillis() / 4);
      max.accumulateAndGet(inFlight.get(), Math::max);
      delegate.writeChecked(name, data, length, meta);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      inFlight.decrementAndGet();
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
