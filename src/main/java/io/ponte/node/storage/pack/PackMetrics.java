package io.ponte.node.storage.pack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.node.index.PackIndex;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Objects in Blob by kind on /q/metrics ({@code ponte.node.storage.objects}, tag {@code kind}:
 * {@code single}, {@code pack}) and packed instances, as of the packing job's last run; packs
 * written, packs refused by their verification, series whose packing failed (skipped for a run).
 */
@ApplicationScoped
public class PackMetrics {

  @Inject MeterRegistry registry;

  private final AtomicLong singles = new AtomicLong();
  private final AtomicLong packs = new AtomicLong();
  private final AtomicLong packedInstances = new AtomicLong();
  private Counter written;
  private Counter refused;
  private Counter failed;

  @PostConstruct
  void init() {
    Gauge.builder("ponte.node.storage.objects", singles, AtomicLong::get)
        .tag("kind", "single")
        .description("instances stored as a blob of their own (as of the last packing run)")
        .register(registry);
    Gauge.builder("ponte.node.storage.objects", packs, AtomicLong::get)
        .tag("kind", "pack")
        .description("pack blobs holding instances (as of the last packing run)")
        .register(registry);
    Gauge.builder("ponte.node.storage.packed.instances", packedInstances, AtomicLong::get)
        .description("instances stored in packs (as of the last packing run)")
        .register(registry);
    written =
        Counter.builder("ponte.node.pack.written")
            .description("packs written, verified and switched to")
            .register(registry);
    refused =
        Counter.builder("ponte.node.pack.refused")
            .description("packs deleted unused: their bytes did not match the index")
            .register(registry);
    failed =
        Counter.builder("ponte.node.pack.failed")
            .description("series the packing job skipped for a run: packing failed, Blob answered")
            .register(registry);
  }

  void update(PackIndex.ObjectCounts counts) {
    singles.set(counts.singles());
    packs.set(counts.packs());
    packedInstances.set(counts.packedInstances());
  }

  void written() {
    written.increment();
  }

  void refused() {
    refused.increment();
  }

  void failed() {
    failed.increment();
  }
}
