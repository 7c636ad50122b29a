package io.ponte.node.storage;

/**
 * Where an instance came from, for the index and the audit: the protocol, the calling AE title or
 * client id, and the remote address.
 */
public record IngestSource(Protocol protocol, String caller, String remoteAddress) {

  public enum Protocol {
    DIMSE,
    STOW_RS,
    MIGRATION,
    /**
     * Indexed again from Blob by {@code ponte node rebuild-index} (the original source is lost).
     */
    REBUILD
  }
}
