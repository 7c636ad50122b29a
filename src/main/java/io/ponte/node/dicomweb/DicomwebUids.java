package io.ponte.node.dicomweb;

import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;

/**
 * UIDs from a DICOMweb path or query, checked before they reach SQL, a cache path or a blob name.
 */
public final class DicomwebUids {

  private DicomwebUids() {}

  public static String require(String what, String uid) {
    if (!UID.isValid(uid)) {
      throw new ProblemException(
          ErrorCode.INVALID_UID, what + " is not a valid DICOM UID: " + shorten(uid));
    }
    return uid;
  }

  static String shorten(String s) {
    return io.ponte.error.ErrorDetails.quote(s);
  }
}
