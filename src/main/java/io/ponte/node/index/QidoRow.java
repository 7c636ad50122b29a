package io.ponte.node.index;

import java.util.Map;

/**
 * One QIDO-RS match: the keys of the entity it names (series and instance null above their level),
 * the values of the returned catalogue attributes by tag (null when empty), and the stored DICOM
 * JSON metadata members asked for (null when none were).
 */
public record QidoRow(
    String studyUid,
    String seriesUid,
    String instanceUid,
    Map<String, Object> values,
    String metadataJson) {}
