package io.ponte.node.storage;

/**
 * The outcome of a successful store. {@code duplicate} is true when the same bytes were already
 * stored under this SOP Instance UID (nothing new was written).
 */
public record StoredInstance(
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopClassUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    long size,
    String sha256,
    boolean duplicate) {}
