package io.ponte.node.index;

/** The query/retrieve level of a QIDO-RS search, from the resource path. */
public enum QidoLevel {
  STUDY,
  SERIES,
  INSTANCE
}
