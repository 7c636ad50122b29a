package io.ponte.testing;

import io.ponte.node.storage.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A Blob store that runs a step of a test right after the first write (checked, or streamed as a
 * verified copy writes) of a name {@code when} accepts has committed (or after every one, {@link
 * #everyTime}), on the writer's thread: what another claimer does while the writer has not yet
 * marked what it wrote. The step's failure is kept for the test ({@link #failure}).
 */
public final class HookedBlobStore extends ForwardingBlobStore {

  /** A test step that may fail. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private final Predicate<String> when;
  private final Step step;
  private final AtomicBoolean ran = new AtomicBoolean();
  private volatile Throwable failure;
  private volatile boolean everyTime;

  public HookedBlobStore(BlobStore delegate, Predicate<String> when, Step step) {
    super(delegate);
    this.when = when;
    this.step = step;
  }

  /** The step runs after every such write, not only the first. */
  public HookedBlobStore everyTime() {
    this.everyTime = true;
    return this;
  }

  /** Whether the step ran. */
  public boolean ran() {
    return ran.get();
  }

  /** What the step threw, if anything. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void writeChecked(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    delegate.writeChecked(name, data, length, meta);
    written(name);
  }

  @Override
  public void write(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    delegate.write(name, data, length, meta);
    written(name);
  }

  private void written(String name) {
    if (when.test(name) && (ran.compareAndSet(false, true) || everyTime)) {
      try {
        step.run();
      } catch (Throwable e) {
        failure = e;
      }
    }
  }
}
