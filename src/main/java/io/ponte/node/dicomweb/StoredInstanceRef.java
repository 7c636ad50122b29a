package io.ponte.node.dicomweb;

/** An instance to retrieve, as the index knows it. */
public record StoredInstanceRef(
    String studyUid,
    String seriesUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    long size,
    Integer rows,
    Integer numberOfFrames) {}
