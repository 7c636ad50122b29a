package io.ponte.dicom.net;

import java.io.IOException;

/** The acceptor answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ. */
public class AssociationRejectedException extends IOException {

  private final AssociateReject reject;

  public AssociationRejectedException(AssociateReject reject) {
    super("association rejected: " + reject);
    this.reject = reject;
  }

  public AssociateReject reject() {
    return reject;
  }
}
