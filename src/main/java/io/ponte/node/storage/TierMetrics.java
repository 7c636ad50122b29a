package io.ponte.node.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.blob.BlobTier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Instances and bytes per Blob access tier on /q/metrics ({@code ponte.node.storage.tier.instances}
 * and {@code .bytes}, tag {@code tier}), as of the tier policy job's last run.
 */
@ApplicationScoped
public class TierMetrics {

  @Inject MeterRegistry registry;

  private final Map<BlobTier, AtomicLong> instances = new EnumMap<>(BlobTier.class);
  private final Map<BlobTier, AtomicLong> bytes = new EnumMap<>(BlobTier.class);

  @PostConstruct
  void init() {
    for (BlobTier tier : BlobTier.values()) {
      String tag = tier.name().toLowerCase(java.util.Locale.ROOT);
      instances.put(tier, new AtomicLong());
      bytes.put(tier, new AtomicLong());
      Gauge.builder("ponte.node.storage.tier.instances", instances.get(tier), AtomicLong::get)
          .tag("tier", tag)
          .description("instances whose blob is in this access tier (as of the last policy run)")
          .register(registry);
      Gauge.builder("ponte.node.storage.tier.bytes", bytes.get(tier), AtomicLong::get)
          .tag("tier", tag)
          .baseUnit("bytes")
          .description("bytes of the instances in this access tier (as of the last policy run)")
          .register(registry);
    }
  }

  void update(Map<String, TierIndex.TierTotal> totals) {
    for (BlobTier tier : BlobTier.values()) {
      TierIndex.TierTotal t = totals.get(tier.name());
      instances.get(tier).set(t == null ? 0 : t.instances());
      bytes.get(tier).set(t == null ? 0 : t.bytes());
    }
  }

  public long instances(BlobTier tier) {
    return instances.get(tier).get();
  }

  public long bytes(BlobTier tier) {
    return bytes.get(tier).get();
  }
}
