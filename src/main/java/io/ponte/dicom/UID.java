package io.ponte.dicom;

import java.util.Map;
import java.util.Set;

/** Well-known UIDs (transfer syntaxes, storage SOP classes) and UID validation per PS3.5 9.1. */
public final class UID {

  private UID() {}

  // Transfer syntaxes
  public static final String ImplicitVRLittleEndian = "1.2.840.10008.1.2";
  public static final String ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
  public static final String EncapsulatedUncompressedExplicitVRLittleEndian =
      "1.2.840.10008.1.2.1.98";
  public static final String DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
  public static final String ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
  public static final String JPEGBaseline8Bit = "1.2.840.10008.1.2.4.50";
  public static final String JPEGExtended12Bit = "1.2.840.10008.1.2.4.51";
  public static final String JPEGLossless = "1.2.840.10008.1.2.4.57";
  public static final String JPEGLosslessSV1 = "1.2.840.10008.1.2.4.70";
  public static final String JPEGLSLossless = "1.2.840.10008.1.2.4.80";
  public static final String JPEGLSNearLossless = "1.2.840.10008.1.2.4.81";
  public static final String JPEG2000Lossless = "1.2.840.10008.1.2.4.90";
  public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
  public static final String MPEG2MPML = "1.2.840.10008.1.2.4.100";
  public static final String MPEG4HP41 = "1.2.840.10008.1.2.4.102";
  public static final String HEVCMP51 = "1.2.840.10008.1.2.4.107";
  public static final String HTJ2KLossless = "1.2.840.10008.1.2.4.201";
  public static final String HTJ2K = "1.2.840.10008.1.2.4.203";
  public static final String RLELossless = "1.2.840.10008.1.2.5";

  // Services
  public static final String Verification = "1.2.840.10008.1.1";
  public static final String StudyRootQueryRetrieveInformationModelFind =
      "1.2.840.10008.5.1.4.1.2.2.1";
  public static final String StudyRootQueryRetrieveInformationModelMove =
      "1.2.840.10008.5.1.4.1.2.2.2";
  public static final String StudyRootQueryRetrieveInformationModelGet =
      "1.2.840.10008.5.1.4.1.2.2.3";
  public static final String PatientRootQueryRetrieveInformationModelFind =
      "1.2.840.10008.5.1.4.1.2.1.1";

  // Storage SOP classes
  public static final String ComputedRadiographyImageStorage = "1.2.840.10008.5.1.4.1.1.1";
  public static final String DigitalXRayImageStorageForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";
  public static final String DigitalXRayImageStorageForProcessing = "1.2.840.10008.5.1.4.1.1.1.1.1";
  public static final String DigitalMammographyXRayImageStorageForPresentation =
      "1.2.840.10008.5.1.4.1.1.1.2";
  public static final String CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";
  public static final String EnhancedCTImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";
  public static final String UltrasoundMultiFrameImageStorage = "1.2.840.10008.5.1.4.1.1.3.1";
  public static final String MRImageStorage = "1.2.840.10008.5.1.4.1.1.4";
  public static final String EnhancedMRImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
  public static final String UltrasoundImageStorage = "1.2.840.10008.5.1.4.1.1.6.1";
  public static final String SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
  public static final String MultiFrameGrayscaleWordSecondaryCaptureImageStorage =
      "1.2.840.10008.5.1.4.1.1.7.3";
  public static final String XRayAngiographicImageStorage = "1.2.840.10008.5.1.4.1.1.12.1";
  public static final String NuclearMedicineImageStorage = "1.2.840.10008.5.1.4.1.1.20";
  public static final String SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
  public static final String VLPhotographicImageStorage = "1.2.840.10008.5.1.4.1.1.77.1.4";
  public static final String BasicTextSRStorage = "1.2.840.10008.5.1.4.1.1.88.11";
  public static final String EnhancedSRStorage = "1.2.840.10008.5.1.4.1.1.88.22";
  public static final String ComprehensiveSRStorage = "1.2.840.10008.5.1.4.1.1.88.33";
  public static final String KeyObjectSelectionDocumentStorage = "1.2.840.10008.5.1.4.1.1.88.59";
  public static final String EncapsulatedPDFStorage = "1.2.840.10008.5.1.4.1.1.104.1";
  public static final String PositronEmissionTomographyImageStorage = "1.2.840.10008.5.1.4.1.1.128";
  public static final String RTImageStorage = "1.2.840.10008.5.1.4.1.1.481.1";
  public static final String RTDoseStorage = "1.2.840.10008.5.1.4.1.1.481.2";
  public static final String RTStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";
  public static final String RTPlanStorage = "1.2.840.10008.5.1.4.1.1.481.5";

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry(ImplicitVRLittleEndian, "Implicit VR Little Endian"),
          Map.entry(ExplicitVRLittleEndian, "Explicit VR Little Endian"),
          Map.entry(DeflatedExplicitVRLittleEndian, "Deflated Explicit VR Little Endian"),
          Map.entry(ExplicitVRBigEndian, "Explicit VR Big Endian"),
          Map.entry(JPEGBaseline8Bit, "JPEG Baseline (Process 1)"),
          Map.entry(JPEGExtended12Bit, "JPEG Extended (Process 2 & 4)"),
          Map.entry(JPEGLossless, "JPEG Lossless, Non-Hierarchical (Process 14)"),
          Map.entry(JPEGLosslessSV1, "JPEG Lossless, First-Order Prediction"),
          Map.entry(JPEGLSLossless, "JPEG-LS Lossless"),
          Map.entry(JPEGLSNearLossless, "JPEG-LS Lossy (Near-Lossless)"),
          Map.entry(JPEG2000Lossless, "JPEG 2000 (Lossless Only)"),
          Map.entry(JPEG2000, "JPEG 2000"),
          Map.entry(RLELossless, "RLE Lossless"),
          Map.entry(CTImageStorage, "CT Image Storage"),
          Map.entry(MRImageStorage, "MR Image Storage"),
          Map.entry(ComputedRadiographyImageStorage, "Computed Radiography Image Storage"),
          Map.entry(
              DigitalXRayImageStorageForPresentation,
              "Digital X-Ray Image Storage - For Presentation"),
          Map.entry(UltrasoundImageStorage, "Ultrasound Image Storage"),
          Map.entry(SecondaryCaptureImageStorage, "Secondary Capture Image Storage"),
          Map.entry(SegmentationStorage, "Segmentation Storage"),
          Map.entry(ComprehensiveSRStorage, "Comprehensive SR Storage"),
          Map.entry(RTPlanStorage, "RT Plan Storage"),
          Map.entry(Verification, "Verification SOP Class"));

  /** A readable name for a well-known UID, or the UID itself. */
  public static String nameOf(String uid) {
    return NAMES.getOrDefault(uid, uid);
  }

  /** True for the transfer syntaxes whose data set is explicit VR big endian. */
  public static boolean isBigEndian(String tsuid) {
    return ExplicitVRBigEndian.equals(tsuid);
  }

  /** True when the data set is encoded with implicit VR (only Implicit VR Little Endian). */
  public static boolean isImplicitVR(String tsuid) {
    return ImplicitVRLittleEndian.equals(tsuid);
  }

  /**
   * True when the data set after the meta group is deflated (PS3.5 A.5): Deflated Explicit VR
   * Little Endian and the two JPIP Referenced Deflate syntaxes. (Deflated Image Frame Compression,
   * 1.2.840.10008.1.2.8.1, deflates frames, not the data set.)
   */
  public static boolean isDeflated(String tsuid) {
    return DeflatedExplicitVRLittleEndian.equals(tsuid)
        || "1.2.840.10008.1.2.4.95".equals(tsuid)
        || "1.2.840.10008.1.2.4.205".equals(tsuid);
  }

  /**
   * The transfer syntaxes of PS3.6 Table A-1 whose data set this codec reads: the four native ones
   * and every encapsulated one (explicit VR little endian, pixel data in fragments or referenced).
   * The MIME/XML (1.2.840.10008.1.2.6.x) and SMPTE ST 2110 (1.2.840.10008.1.2.7.x) syntaxes are not
   * PS3.10 data sets.
   */
  private static final Set<String> TRANSFER_SYNTAXES =
      Set.of(
          ImplicitVRLittleEndian,
          ExplicitVRLittleEndian,
          EncapsulatedUncompressedExplicitVRLittleEndian,
          DeflatedExplicitVRLittleEndian,
          ExplicitVRBigEndian,
          "1.2.840.10008.1.2.4.50",
          "1.2.840.10008.1.2.4.51",
          "1.2.840.10008.1.2.4.52",
          "1.2.840.10008.1.2.4.53",
          "1.2.840.10008.1.2.4.54",
          "1.2.840.10008.1.2.4.55",
          "1.2.840.10008.1.2.4.56",
          "1.2.840.10008.1.2.4.57",
          "1.2.840.10008.1.2.4.58",
          "1.2.840.10008.1.2.4.59",
          "1.2.840.10008.1.2.4.60",
          "1.2.840.10008.1.2.4.61",
          "1.2.840.10008.1.2.4.62",
          "1.2.840.10008.1.2.4.63",
          "1.2.840.10008.1.2.4.64",
          "1.2.840.10008.1.2.4.65",
          "1.2.840.10008.1.2.4.66",
          "1.2.840.10008.1.2.4.70",
          "1.2.840.10008.1.2.4.80",
          "1.2.840.10008.1.2.4.81",
          "1.2.840.10008.1.2.4.90",
          "1.2.840.10008.1.2.4.91",
          "1.2.840.10008.1.2.4.92",
          "1.2.840.10008.1.2.4.93",
          "1.2.840.10008.1.2.4.94",
          "1.2.840.10008.1.2.4.95",
          "1.2.840.10008.1.2.4.100",
          "1.2.840.10008.1.2.4.100.1",
          "1.2.840.10008.1.2.4.101",
          "1.2.840.10008.1.2.4.101.1",
          "1.2.840.10008.1.2.4.102",
          "1.2.840.10008.1.2.4.102.1",
          "1.2.840.10008.1.2.4.103",
          "1.2.840.10008.1.2.4.103.1",
          "1.2.840.10008.1.2.4.104",
          "1.2.840.10008.1.2.4.104.1",
          "1.2.840.10008.1.2.4.105",
          "1.2.840.10008.1.2.4.105.1",
          "1.2.840.10008.1.2.4.106",
          "1.2.840.10008.1.2.4.106.1",
          "1.2.840.10008.1.2.4.107",
          "1.2.840.10008.1.2.4.108",
          "1.2.840.10008.1.2.4.110",
          "1.2.840.10008.1.2.4.111",
          "1.2.840.10008.1.2.4.112",
          "1.2.840.10008.1.2.4.201",
          "1.2.840.10008.1.2.4.202",
          "1.2.840.10008.1.2.4.203",
          "1.2.840.10008.1.2.4.204",
          "1.2.840.10008.1.2.4.205",
          "1.2.840.10008.1.2.5",
          "1.2.840.10008.1.2.8.1");

  /** True for a PS3.6 transfer syntax whose data set this codec reads. */
  public static boolean isTransferSyntax(String tsuid) {
    return tsuid != null && TRANSFER_SYNTAXES.contains(tsuid);
  }

  /** True when pixel data is native (not encapsulated) under this transfer syntax. */
  public static boolean isNative(String tsuid) {
    return ImplicitVRLittleEndian.equals(tsuid)
        || ExplicitVRLittleEndian.equals(tsuid)
        || ExplicitVRBigEndian.equals(tsuid)
        || DeflatedExplicitVRLittleEndian.equals(tsuid);
  }

  /** True for the valid UIDs of PS3.5 9.1. */
  public static boolean isValid(String uid) {
    return reasonInvalid(uid) == null;
  }

  /**
   * Returns the UID unchanged when valid; throws {@link InvalidUidException} naming the reason
   * otherwise.
   */
  public static String requireValid(String uid) {
    String reason = reasonInvalid(uid);
    if (reason != null) {
      throw new InvalidUidException(
          "invalid UID " + (uid == null ? "null" : "\"" + uid + "\"") + ": " + reason);
    }
    return uid;
  }

  private static String reasonInvalid(String uid) {
    if (uid == null) {
      return "missing";
    }
    int n = uid.length();
    if (n == 0) {
      return "empty";
    }
    if (n > 64) {
      return "longer than 64 characters (" + n + ")";
    }
    int componentStart = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? uid.charAt(i) : '.';
      if (c == '.') {
        int len = i - componentStart;
        if (len == 0) {
          return "empty component at position " + i;
        }
        if (len > 1 && uid.charAt(componentStart) == '0') {
          return "component with a leading zero at position " + componentStart;
        }
        componentStart = i + 1;
      } else if (c < '0' || c > '9') {
        return "character '"
            + (c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c))
            + "' at position "
            + i
            + " (only digits and dots allowed)";
      }
    }
    return null;
  }
}
