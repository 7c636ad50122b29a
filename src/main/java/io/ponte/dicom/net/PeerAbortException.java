package io.ponte.dicom.net;

import java.io.IOException;

/** The peer sent A-ABORT: the association is gone, nothing is answered. */
public class PeerAbortException extends IOException {

  public PeerAbortException() {
    super("peer aborted the association");
  }
}
