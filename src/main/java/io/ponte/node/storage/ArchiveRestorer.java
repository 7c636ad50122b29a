package io.ponte.node.storage;

import io.ponte.node.index.TierIndex;
import io.ponte.node.index.WadoInstance;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.TierStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a retrieve's archived-only instances readable: asks Blob to rehydrate those still in the
 * Archive tier (standard priority, to Hot), and answers when all of them are expected back, so the
 * retrieve is refused whole (202, retry later) rather than answered in part. While the expected
 * wait has not passed, Blob is not asked again: a clinician's repeated clicks cost one index read.
 * Instances found readable again are recorded Hot, and their study with them.
 */
@ApplicationScoped
public class ArchiveRestorer {

  private static final Duration MAX_OVERDUE_RETRY = Duration.ofMinutes(5);

  @Inject NodeStorage storage;

  @Inject TierIndex index;

  Clock clock = Clock.systemUTC();

  /**
   * Empty when every instance of {@code instances} can be read now; else when the missing ones are
   * expected to be.
   */
  public Optional<Instant> restore(String study, List<WadoInstance> instances)
      throws IOException, SQLException {
    List<WadoInstance> archived = instances.stream().filter(WadoInstance::archivedOnly).toList();
    if (archived.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Duration wait = storage.rehydrationDelay().estimate();
    BlobStore blob = storage.blobStore();
    Map<BlobTier, List<String>> readable = new EnumMap<>(BlobTier.class);
    List<String> waiting = new ArrayList<>();
    for (WadoInstance instance : archived) {
      Instant since = instance.rehydratingSince();
      if (since != null && since.plus(wait).isAfter(now)) {
        waiting.add(instance.sopInstanceUid());
        continue;
      }
      String name = instance.location().blobName();
      TierStatus status = blob.tier(name);
      if (status == null) {
        continue; // no blob at all: the read reports it as the storage failure it is
      }
      if (status.online()) {
        readable
            .computeIfAbsent(status.tier(), t -> new ArrayList<>())
            .add(instance.sopInstanceUid());
        continue;
      }
      if (!status.rehydrating()) {
        blob.rehydrate(name, BlobTier.HOT);
      }
      waiting.add(instance.sopInstanceUid());
    }
    for (Map.Entry<BlobTier, List<String>> back : readable.entrySet()) {
      index.markRehydrated(study, back.getValue(), back.getKey().name());
    }
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    Instant ready = now;
    for (Instant since : index.markRehydrating(waiting, now).values()) {
      Instant at = since.plus(wait);
      ready = at.isAfter(ready) ? at : ready;
    }
    if (!ready.isAfter(now)) {
      // Later than expected: ask again soon, but not every second for an hours-long wait.
      Duration retry = wait.dividedBy(10);
      retry = retry.compareTo(MAX_OVERDUE_RETRY) > 0 ? MAX_OVERDUE_RETRY : retry;
      ready = now.plus(retry.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retry);
    }
    return Optional.of(ready);
  }
}
