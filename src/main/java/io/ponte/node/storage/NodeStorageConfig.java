package io.ponte.node.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where and how a node keeps its instances: a bounded local disk cache in front of Azure Blob. */
@ConfigMapping(prefix = "ponte.node.storage")
public interface NodeStorageConfig {

  /**
   * The Azurite well-known development account (public, documented by Microsoft); never used in
   * production.
   */
  String AZURITE =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
          + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
          + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

  /** Local cache directory: instances land here durably before they are acknowledged. */
  @WithDefault("data/node-cache")
  Path cacheDir();

  /** Azure Storage connection string; the default is Azurite on loopback. */
  @WithDefault(AZURITE)
  String blobConnectionString();

  /** Blob container; {@code ponte-<site>} when unset. */
  Optional<String> blobContainer();

  /** How often the upload worker looks for PENDING instances. */
  @WithDefault("5s")
  Duration uploadInterval();

  /**
   * Instances one upload run claims at most (bounded so one run cannot hold the scheduler for
   * long).
   */
  @WithDefault("64")
  int uploadBatchSize();

  /**
   * Uploads in flight at once. One at a time, Blob's latency bounds the upload rate (a remote
   * account answers each request in tens of milliseconds) far below what the node ingests; the
   * backlog would only grow.
   */
  @WithDefault("4")
  int uploadConcurrency();

  /**
   * How often a running node releases the claims of other runs that ended (a second node process or
   * a {@code ponte migrate} killed on the same database); its own start-up releases them too.
   */
  @WithDefault("10s")
  Duration claimReleaseInterval();

  /** First wait after a failed upload; doubled per attempt up to {@link #uploadMaxBackoff()}. */
  @WithDefault("10s")
  Duration uploadBackoff();

  @WithDefault("1h")
  Duration uploadMaxBackoff();

  /**
   * Upper bound of the cache; least-recently-accessed studies already safe in Blob are evicted
   * beyond it.
   */
  @WithDefault("53687091200")
  long maxCacheBytes();

  /**
   * Free space on the cache volume below which the node is not ready (Kubernetes stops sending it
   * work rather than let a write fail half-way): bytes ({@code 2G}) or a share of the volume
   * ({@code 2%}). See {@link FreeSpace}.
   */
  @WithDefault("2%")
  String minFreeSpace();

  /**
   * Free space the evictor keeps on the cache volume, evicting studies already safe in Blob (least
   * recently accessed first) while the volume has less: bytes or a share of the volume.
   */
  @WithDefault("10%")
  String targetFreeSpace();

  /** How often the evictor checks the cache size and the volume's free space. */
  @WithDefault("1m")
  Duration evictionInterval();

  /**
   * How stale an instance's access time may get before a retrieve writes it again. The evictor
   * ranks studies by it, so a minute changes nothing it decides; writing it on every read cost each
   * frame a row lock and a WAL flush (docs/performance.md, "Frames … warm"). The study's own access
   * time, which only the tier policy reads, has {@link TierConfig#accessGranularity()}.
   */
  @WithDefault("1m")
  Duration accessGranularity();

  /**
   * Whether start-up cleans what a crash left (see CrashRecovery). Off only for tool runs beside a
   * serving node, whose in-flight files are not leftovers.
   */
  @WithDefault("true")
  boolean recoverAtStart();

  /**
   * The optional second copy of every object in another Blob account or container ({@code
   * ponte.node.storage.replica.*}); off while no connection string is set.
   */
  Replica replica();

  /** Replication to a second Blob account: a durable queue beside the primary upload. */
  interface Replica {

    /**
     * Connection string of the replica's account (another account, ideally another region); unset:
     * no replication.
     */
    Optional<String> connectionString();

    /** The replica's container; the primary's container name when unset. */
    Optional<String> container();

    /** How often the replication worker looks for instances not yet replicated. */
    @WithDefault("5s")
    Duration interval();

    /** Instances one replication run claims at most. */
    @WithDefault("64")
    int batchSize();

    /**
     * Copies in flight at once: one at a time, the replica's latency (another region: tens of
     * milliseconds per request, two requests per copy) caps replication below what the node
     * ingests.
     */
    @WithDefault("4")
    int concurrency();

    /** First wait after a failed replication; doubled per attempt up to {@link #maxBackoff()}. */
    @WithDefault("10s")
    Duration backoff();

    /**
     * Below {@link #maxLag()}: once the replica is back, the backlog resumes within minutes (a run
     * stops at the first copies that fail, so a down replica costs a few requests per run).
     */
    @WithDefault("5m")
    Duration maxBackoff();

    /**
     * How long an instance may wait for its replica copy before health says {@code degraded} (the
     * recovery point the replica promises).
     */
    @WithDefault("15m")
    Duration maxLag();

    default boolean enabled() {
      return connectionString().filter(s -> !s.isBlank()).isPresent();
    }
  }

  /** The container name for a site when none is configured. */
  default String containerFor(String site) {
    return blobContainer().orElse("ponte-" + site);
  }
}
