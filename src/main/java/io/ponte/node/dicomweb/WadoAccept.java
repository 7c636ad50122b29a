package io.ponte.node.dicomweb;

import io.ponte.dicom.ExplicitLittleEndianRecoder;
import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * WADO-RS content negotiation (PS3.18 8.7): uncompressed instances are served in the default
 * Explicit VR Little Endian (re-encoded when stored otherwise), compressed ones as stored, and
 * uncompressed frames as they lie in the file (swapped from big endian). {@code transfer-syntax=*}
 * means "as stored"; a named transfer syntax must be one the node can serve, else 406.
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
    multipart(
        accepted,
        partType,
        UnaryOperator.identity(),
        ts -> storedSyntaxes.stream().allMatch(ts::equals),
        ts ->
            "stored as "
                + stored(storedSyntaxes)
                + "; this node does not transcode to "
                + ts
                + " (ask for transfer-syntax=*)");
  }

  /**
   * Instance negotiation (PS3.18 8.7.3.5.2): what each stored syntax is served as. Without a
   * transfer-syntax parameter (or Accept, or with a wildcard) the default Explicit VR Little
   * Endian: Implicit VR LE, Explicit VR Big Endian and Deflated Explicit VR LE instances are
   * re-encoded to it ({@link ExplicitLittleEndianRecoder}); compressed ones, which the node cannot
   * decompress, are served as stored, their part's transfer-syntax naming it
   * (docs/architecture.md). {@code transfer-syntax=*} means as stored; a named syntax must be the
   * stored one or Explicit VR LE from a syntax re-encoded to it, else 406.
   */
  static UnaryOperator<String> instanceSyntaxes(
      List<MediaType> accepted, Collection<String> storedSyntaxes) {
    return multipart(
        accepted,
        DICOM,
        s -> ExplicitLittleEndianRecoder.recodes(s) ? UID.ExplicitVRLittleEndian : s,
        ts ->
            storedSyntaxes.stream()
                .allMatch(
                    s ->
                        s.equals(ts)
                            || (ts.equals(UID.ExplicitVRLittleEndian)
                                && ExplicitLittleEndianRecoder.recodes(s))),
        ts ->
            "stored as "
                + stored(storedSyntaxes)
                + "; this node re-encodes only uncompressed instances to Explicit VR Little Endian"
                + " and does not transcode to "
                + ts
                + " (ask for transfer-syntax=*)");
  }

  /**
   * The multipart/related negotiation instances and bulk data share: the first Accept range that is
   * a wildcard, or multipart/related allowing parts of {@code partType}, decides. A wildcard, or a
   * range without a transfer-syntax parameter (or no Accept at all), gets {@code byDefault}; {@code
   * transfer-syntax=*} every stored syntax as it is; a named syntax, when {@code servable} says
   * every stored one can be served in it, that syntax. A range naming one it cannot is passed over
   * for the next; when none is left, 406 naming the last refused ({@code refusal}) or the part type
   * served.
   */
  private static UnaryOperator<String> multipart(
      List<MediaType> accepted,
      String partType,
      UnaryOperator<String> byDefault,
      Predicate<String> servable,
      UnaryOperator<String> refusal) {
    if (accepted.isEmpty()) {
      return byDefault;
    }
    String refused = null;
    for (MediaType m : accepted) {
      if (m.isWildcardType()) {
        return byDefault;
      }
      if (!(isMultipartRelated(m) && typeAllows(m, partType))) {
        continue;
      }
      String ts = m.getParameters().get("transfer-syntax");
      if (ts == null) {
        return byDefault;
      }
      if (ts.equals("*")) {
        return UnaryOperator.identity();
      }
      if (servable.test(ts)) {
        return s -> s.equals(ts) ? s : ts;
      }
      refused = ts;
    }
    throw new ProblemException(
        ErrorCode.NOT_ACCEPTABLE,
        refused != null
            ? refusal.apply(refused)
            : "this resource is served as multipart/related; type=\"" + partType + "\"");
  }

  private static String stored(Collection<String> storedSyntaxes) {
    return String.join(", ", storedSyntaxes.stream().distinct().toList());
  }

  private static boolean isMultipartRelated(MediaType m) {
    return m.getType().equals("multipart")
        && (m.isWildcardSubtype() || m.getSubtype().equals("related"));
  }

  /** A frame part's media type and the transfer syntax its bytes are in. */
  record FramePart(String mediaType, String transferSyntax) {
    String contentType() {
      return mediaType + "; transfer-syntax=" + transferSyntax;
    }
  }

  /**
   * Frame negotiation (PS3.18 8.7.3.3): native frames are served as application/octet-stream in
   * Explicit VR Little Endian (the stored bytes, swapped when stored big endian); encapsulated ones
   * as stored, in their image media type, never transcoded. Accepted: a wildcard, multipart/related
   * without a type, {@code transfer-syntax=*} with application/octet-stream or the frame's media
   * type, or the stored syntax by name (the media type's default when only the type is named;
   * octet-stream's default is Explicit VR Little Endian). Anything else is 406, naming what the
   * frame is stored as.
   */
  static FramePart frames(List<MediaType> accepted, String storedSyntax) {
    boolean nativeStored = UID.isNative(storedSyntax);
    String mediaType = nativeStored ? OCTET_STREAM : FrameMediaTypes.of(storedSyntax);
    FramePart served =
        new FramePart(mediaType, nativeStored ? UID.ExplicitVRLittleEndian : storedSyntax);
    if (accepted.isEmpty()) {
      return served;
    }
    for (MediaType m : accepted) {
      if (m.isWildcardType()) {
        return served;
      }
      if (!isMultipartRelated(m)) {
        continue;
      }
      String type = m.getParameters().get("type");
      String ts = m.getParameters().get("transfer-syntax");
      if (type == null || type.equals("*/*")) {
        return served;
      }
      type = FrameMediaTypes.canonical(type.toLowerCase(java.util.Locale.ROOT));
      boolean typeFits = type.equals(OCTET_STREAM) || type.equals(mediaType);
      if (!typeFits) {
        continue;
      }
      if ("*".equals(ts)) {
        return served;
      }
      String wanted =
          ts != null
              ? ts
              : type.equals(OCTET_STREAM)
                  ? UID.ExplicitVRLittleEndian
                  : FrameMediaTypes.defaultSyntax(type);
      if (served.transferSyntax().equals(wanted)) {
        return served;
      }
    }
    throw new ProblemException(
        ErrorCode.NOT_ACCEPTABLE,
        "this frame is served as multipart/related; type=\""
            + mediaType
            + "\"; transfer-syntax="
            + served.transferSyntax()
            + (nativeStored ? "" : " (stored so; this node does not decompress or transcode)")
            + "; ask for multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
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
