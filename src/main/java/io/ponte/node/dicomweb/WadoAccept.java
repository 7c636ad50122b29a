package io.ponte.node.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.List;

/**
 * WADO-RS content negotiation without transcoding (PS3.18 8.7): the node serves instances as stored
 * and uncompressed frames as they lie in the file. {@code transfer-syntax=*} or no transfer-syntax
 * means "as stored"; a named transfer syntax must be the stored one, else 406.
 */
final class WadoAccept {

  static final String DICOM = "application/dicom";
  static final String OCTET_STREAM = "application/octet-stream";

  private WadoAccept() {}

  /**
   * Checks that one of {@code accepted} allows multipart/related parts of {@code partType} in every
   * one of {@code storedSyntaxes}; 406 otherwise.
   */
  static void requireMultipart(
      List<MediaType> accepted, String partType, Collection<String> storedSyntaxes) {
    if (accepted.isEmpty()) {
      return;
    }
    String refused = null;
    for (MediaType m : accepted) {
      if (m.isWildcardType()
          || (m.getType().equals("multipart")
              && (m.isWildcardSubtype() || m.getSubtype().equals("related"))
              && typeAllows(m, partType))) {
        String ts = m.getParameters().get("transfer-syntax");
        if (ts == null || ts.equals("*") || storedSyntaxes.stream().allMatch(ts::equals)) {
          return;
        }
        refused = ts;
      }
    }
    throw new ProblemException(
        ErrorCode.NOT_ACCEPTABLE,
        refused != null
            ? "stored as "
                + String.join(", ", storedSyntaxes.stream().distinct().toList())
                + "; this node does not transcode to "
                + refused
                + " (ask for transfer-syntax=*)"
            : "this resource is served as multipart/related; type=\"" + partType + "\"");
  }

  private static boolean typeAllows(MediaType m, String partType) {
    String type = m.getParameters().get("type");
    return type == null || type.equals(partType) || type.equals("*/*");
  }

  /** JSON for metadata: application/dicom+json, application/json or a wildcard. */
  static void requireJson(List<MediaType> accepted) {
    for (MediaType m : accepted) {
      if (m.isWildcardType()
          || (m.getType().equals("application")
              && (m.isWildcardSubtype()
                  || m.getSubtype().equals("dicom+json")
                  || m.getSubtype().equals("json")))) {
        return;
      }
    }
    if (!accepted.isEmpty()) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE, "metadata is served as application/dicom+json");
    }
  }
}
