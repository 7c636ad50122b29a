package io.ponte.node.index;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A validated QIDO-RS search: the level, the UIDs fixed by the path, the match conditions, what to
 * return (indexed attributes, and tags taken from the stored metadata), paging, and warnings for
 * the client (PS3.18 8.3.4: unsupported matching keys are ignored with a Warning header).
 */
public record QidoQuery(
    QidoLevel level,
    String studyUid,
    String seriesUid,
    List<Condition> conditions,
    SortedMap<String, QidoAttribute> returned,
    List<String> metadataTags,
    boolean allMetadata,
    int limit,
    int offset,
    boolean fuzzy,
    List<String> warnings) {

  /** One matching key: attribute and its (non-universal) value. */
  public record Condition(QidoAttribute attribute, String value) {}

  /** The UIDs of a UID list match value (comma or backslash separated, PS3.18 8.3.4.1). */
  public static List<String> uidList(String value) {
    List<String> uids = new ArrayList<>();
    for (String uid : value.split("[,\\\\]")) {
      uids.add(uid.trim());
    }
    return uids;
  }
}
