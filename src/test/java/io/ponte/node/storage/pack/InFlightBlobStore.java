package io.ponte.node.storage.pack;

import io.ponte.node.storage.blob.BlobStore;
import io.ponte.testing.ForwardingBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Blob store that counts the checked writes (packs) in flight at once. Each write first waits (up
 * to {@code wait}) for a second one to be in flight and then holds a moment, so that packs a packer
 * runs together are seen together, and more than its bound would be.
 */
final class InFlightBlobStore extends ForwardingBlobStore {

  private final Duration wait;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();

  InFlightBlobStore(BlobStore delegate, Duration wait) {
    super(delegate);
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
}
