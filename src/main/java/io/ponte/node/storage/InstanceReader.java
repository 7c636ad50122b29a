package io.ponte.node.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Opens a stored instance for reading: from the local cache when it is there, else streamed from Blob.
 * Each read marks the instance accessed, which keeps its study in the cache longer.
 */
@ApplicationScoped
public class InstanceReader {

    @Inject
    NodeStorage storage;

    @Inject
    InstanceIndex index;

    Clock clock = Clock.systemUTC();

    /** An open instance: its bytes, size and SHA-256, and whether they come from the cache. */
    public record Opened(InputStream content, long size, String sha256, boolean fromCache) {
    }

    /** Empty when the node does not hold this SOP Instance UID. */
    public Optional<Opened> open(String sopInstanceUid) throws IOException {
        Optional<InstanceIndex.Row> found;
        try {
            found = index.find(sopInstanceUid);
        } catch (SQLException e) {
            throw new IOException("the index is unavailable", e);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InstanceIndex.Row row = found.get();
        try {
            index.touch(sopInstanceUid, clock.instant());
        } catch (SQLException e) {
            // an access time is a hint for eviction, not worth failing a read for
        }
        if (row.cachePath() != null) {
            try {
                return Optional.of(new Opened(Files.newInputStream(storage.layout().resolve(row.cachePath())),
                        row.size(), row.sha256(), true));
            } catch (NoSuchFileException e) {
                // evicted between the lookup and the open: Blob has it
            }
        }
        return Optional.of(new Opened(storage.blobStore().read(row.blobName()), row.size(), row.sha256(), false));
    }
}
