package io.ponte.dicom.net;

/** Hooks for metrics and logs about associations; every method defaults to doing nothing. */
public interface AssociationMonitor {

  default void accepted(AssociateRequest rq, String remoteAddress) {}

  default void rejected(AssociateRequest rq, AssociateReject rj, String remoteAddress) {}

  /** We aborted (protocol error, timeout) or the peer did; {@code reason} is for the log. */
  default void aborted(String remoteAddress, String reason) {}

  default void released(String remoteAddress) {}

  AssociationMonitor NONE = new AssociationMonitor() {};
}
