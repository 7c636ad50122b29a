package io.ponte.node.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/** Node storage meters on /q/metrics: what came in, what was refused, what still waits for Blob. */
@ApplicationScoped
public class StorageMetrics {

  @Inject MeterRegistry registry;

  private Counter stored;
  private Counter bytes;
  private Counter duplicates;
  private final AtomicLong backlog = new AtomicLong();

  @PostConstruct
  void init() {
    stored =
        Counter.builder("ponte.node.instances.stored")
            .description("instances newly stored")
            .register(registry);
    bytes =
        Counter.builder("ponte.node.instances.stored.bytes")
            .baseUnit("bytes")
            .description("bytes of instances newly stored")
            .register(registry);
    duplicates =
        Counter.builder("ponte.node.instances.duplicates")
            .description("identical re-sends acknowledged without a second copy")
            .register(registry);
    Gauge.builder("ponte.node.upload.backlog", backlog, AtomicLong::get)
        .description("instances not yet uploaded to Blob (as of the last upload run)")
        .register(registry);
  }

  void stored(StoredInstance instance) {
    if (!instance.duplicate()) {
      stored.increment();
      bytes.increment(instance.size());
    }
  }

  void duplicate() {
    duplicates.increment();
  }

  void refused(StoreException.Reason reason) {
    registry.counter("ponte.node.instances.refused", "reason", reason.name()).increment();
  }

  /** An upload refused: the cache file's bytes were not the indexed ones (nothing committed). */
  void uploadRefused() {
    registry.counter("ponte.node.upload.refused", "reason", "sha256-mismatch").increment();
  }

  public void backlog(long pending) {
    backlog.set(pending);
  }
}
