package io.ponte.node.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.InstanceLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link FrameTable} of each stored instance, read on first use and kept for the most recently
 * used ones: a viewer asks a multi-frame instance for its frames one request at a time, and the
 * header parse and fragment scan are paid once. Keyed by SOP Instance UID and SHA-256, so a
 * replaced object never meets an old table.
 */
@ApplicationScoped
public class FrameTables {

  /** A table is a few dozen bytes per frame; 512 of them stay well under a megabyte. */
  private static final int KEPT = 512;

  @Inject InstanceBytes bytes;

  private final Map<String, FrameTable> recent =
      new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FrameTable> eldest) {
          return size() > KEPT;
        }
      };

  FrameTable of(InstanceLocation location) {
    String key = location.sopInstanceUid() + ':' + location.sha256();
    synchronized (recent) {
      FrameTable t = recent.get(key);
      if (t != null) {
        return t;
      }
    }
    FrameTable table;
    try (InputStream whole = bytes.open(location)) {
      table =
          FrameTable.read(
              whole,
              location.size(),
              (offset, length) -> bytes.openRange(location, offset, length));
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the instance could not be read", Map.of(), e);
    }
    synchronized (recent) {
      recent.put(key, table);
    }
    return table;
  }
}
