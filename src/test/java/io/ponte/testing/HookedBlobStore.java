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
 * marked what it wrote. The step's failure is kept for the test ({@link #failure}). Made with
 * {@link #before}, the step runs right before that write instead: the write lands after whatever
 * the step did, as one that was on its way meanwhile.
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
  private final boolean before;

  public HookedBlobStore(BlobStore delegate, Predicate<String> when, Step step) {
    this(delegate, when, step, false);
  }

  private HookedBlobStore(BlobStore delegate, Predicate<String> when, Step step, boolean before) {
    super(delegate);
    this.when = when;
    this.step = step;
    this.before = before;
  }

  /** A store whose step runs right before the first write of a name {@code when} accepts. */
  public static HookedBlobStore before(BlobStore delegate, Predicate<String> when, Step step) {
    return new HookedBlobStore(delegate, when, step, true);
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
    hookBefore(name);
    delegate.writeChecked(name, data, length, meta);
    hookAfter(name);
  }

  @Override
  public void write(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    hookBefore(name);
    delegate.write(name, data, length, meta);
    hookAfter(name);
  }

  private void hookBefore(String name) {
    if (before) {
      hook(name);
    }
  }

  private void hookAfter(String name) {
    if (!before) {
      hook(name);
    }
  }

  private void hook(String name) {
    if (when.test(name) && (ran.compareAndSet(false, true) || everyTime)) {
      try {
        step.run();
      } catch (Throwable e) {
        failure = e;
      }
    }
  }
}
