package io.ponte.node.dicomweb;

import io.ponte.dicom.UID;
import java.util.Map;

/**
 * The media type a frame of each encapsulated transfer syntax travels as (PS3.18 8.7.3, the table
 * of single- and multi-frame image media types), and each media type's default transfer syntax (the
 * one meant when an Accept names the type without a transfer-syntax parameter). Video syntaxes are
 * absent: a video has no frames to serve one by one.
 */
final class FrameMediaTypes {

  static final String JPEG = "image/jpeg";
  static final String JLS = "image/jls";
  static final String JP2 = "image/jp2";
  static final String JPX = "image/jpx";
  static final String JPHC = "image/jphc";
  static final String JXL = "image/jxl";
  static final String RLE = "image/dicom-rle";

  private static final Map<String, String> BY_SYNTAX =
      Map.ofEntries(
          Map.entry(UID.JPEGBaseline8Bit, JPEG),
          Map.entry(UID.JPEGExtended12Bit, JPEG),
          Map.entry(UID.JPEGLossless, JPEG),
          Map.entry(UID.JPEGLosslessSV1, JPEG),
          Map.entry(UID.JPEGLSLossless, JLS),
          Map.entry(UID.JPEGLSNearLossless, JLS),
          Map.entry(UID.JPEG2000Lossless, JP2),
          Map.entry(UID.JPEG2000, JP2),
          Map.entry("1.2.840.10008.1.2.4.92", JPX),
          Map.entry("1.2.840.10008.1.2.4.93", JPX),
          Map.entry(UID.HTJ2KLossless, JPHC),
          Map.entry("1.2.840.10008.1.2.4.202", JPHC),
          Map.entry(UID.HTJ2K, JPHC),
          Map.entry("1.2.840.10008.1.2.4.110", JXL),
          Map.entry("1.2.840.10008.1.2.4.111", JXL),
          Map.entry("1.2.840.10008.1.2.4.112", JXL),
          Map.entry(UID.RLELossless, RLE));

  private static final Map<String, String> DEFAULT_SYNTAX =
      Map.of(
          JPEG, UID.JPEGBaseline8Bit,
          JLS, UID.JPEGLSLossless,
          JP2, UID.JPEG2000Lossless,
          JPX, "1.2.840.10008.1.2.4.92",
          JPHC, UID.HTJ2KLossless,
          JXL, "1.2.840.10008.1.2.4.110",
          RLE, UID.RLELossless);

  private FrameMediaTypes() {}

  /** The frame media type of an encapsulated transfer syntax; null when frames are not served. */
  static String of(String transferSyntaxUid) {
    return BY_SYNTAX.get(transferSyntaxUid);
  }

  /**
   * A media type as named in an Accept, with the older names clients still send (PS3.18 once had
   * image/x-dicom-rle and image/x-jls) folded onto the current ones.
   */
  static String canonical(String mediaType) {
    return switch (mediaType) {
      case "image/x-dicom-rle" -> RLE;
      case "image/x-jls" -> JLS;
      default -> mediaType;
    };
  }

  /** The default transfer syntax of a frame media type; null for one not in the table. */
  static String defaultSyntax(String mediaType) {
    return DEFAULT_SYNTAX.get(mediaType);
  }
}
