package io.ponte.node.ingest;

/**
 * Defaults for {@link DimseConfig}: the storage SOP classes a regional exchange meets, and its
 * transfer syntaxes.
 */
final class StorageSopClasses {

  static final String DEFAULT =
      ""
          + "1.2.840.10008.5.1.4.1.1.1," // CR
          + "1.2.840.10008.5.1.4.1.1.1.1," // DX for presentation
          + "1.2.840.10008.5.1.4.1.1.1.1.1," // DX for processing
          + "1.2.840.10008.5.1.4.1.1.1.2," // MG for presentation
          + "1.2.840.10008.5.1.4.1.1.1.2.1," // MG for processing
          + "1.2.840.10008.5.1.4.1.1.13.1.3," // Breast tomosynthesis
          + "1.2.840.10008.5.1.4.1.1.2," // CT
          + "1.2.840.10008.5.1.4.1.1.2.1," // Enhanced CT
          + "1.2.840.10008.5.1.4.1.1.4," // MR
          + "1.2.840.10008.5.1.4.1.1.4.1," // Enhanced MR
          + "1.2.840.10008.5.1.4.1.1.6.1," // US
          + "1.2.840.10008.5.1.4.1.1.3.1," // US multi-frame
          + "1.2.840.10008.5.1.4.1.1.7," // Secondary capture
          + "1.2.840.10008.5.1.4.1.1.7.1," // Multi-frame single bit SC
          + "1.2.840.10008.5.1.4.1.1.7.2," // Multi-frame grayscale byte SC
          + "1.2.840.10008.5.1.4.1.1.7.3," // Multi-frame grayscale word SC
          + "1.2.840.10008.5.1.4.1.1.7.4," // Multi-frame true color SC
          + "1.2.840.10008.5.1.4.1.1.12.1," // XA
          + "1.2.840.10008.5.1.4.1.1.12.1.1," // Enhanced XA
          + "1.2.840.10008.5.1.4.1.1.12.2," // XRF
          + "1.2.840.10008.5.1.4.1.1.20," // NM
          + "1.2.840.10008.5.1.4.1.1.128," // PET
          + "1.2.840.10008.5.1.4.1.1.130," // Enhanced PET
          + "1.2.840.10008.5.1.4.1.1.481.1," // RT Image
          + "1.2.840.10008.5.1.4.1.1.481.2," // RT Dose
          + "1.2.840.10008.5.1.4.1.1.481.3," // RT Structure Set
          + "1.2.840.10008.5.1.4.1.1.481.5," // RT Plan
          + "1.2.840.10008.5.1.4.1.1.481.8," // RT Ion Plan
          + "1.2.840.10008.5.1.4.1.1.88.11," // Basic Text SR
          + "1.2.840.10008.5.1.4.1.1.88.22," // Enhanced SR
          + "1.2.840.10008.5.1.4.1.1.88.33," // Comprehensive SR
          + "1.2.840.10008.5.1.4.1.1.88.59," // Key Object Selection
          + "1.2.840.10008.5.1.4.1.1.88.67," // X-Ray Radiation Dose SR
          + "1.2.840.10008.5.1.4.1.1.66.4," // Segmentation
          + "1.2.840.10008.5.1.4.1.1.66.1," // Spatial Registration
          + "1.2.840.10008.5.1.4.1.1.11.1," // Grayscale Softcopy Presentation State
          + "1.2.840.10008.5.1.4.1.1.104.1," // Encapsulated PDF
          + "1.2.840.10008.5.1.4.1.1.77.1.1," // VL Endoscopic
          + "1.2.840.10008.5.1.4.1.1.77.1.4," // VL Photographic
          + "1.2.840.10008.5.1.4.1.1.77.1.5.1"; // Ophthalmic Photography 8 bit

  static final String DEFAULT_TRANSFER_SYNTAXES =
      ""
          + "1.2.840.10008.1.2.4.80," // JPEG-LS lossless
          + "1.2.840.10008.1.2.4.90," // JPEG 2000 lossless
          + "1.2.840.10008.1.2.4.70," // JPEG lossless SV1
          + "1.2.840.10008.1.2.4.57," // JPEG lossless
          + "1.2.840.10008.1.2.5," // RLE lossless
          + "1.2.840.10008.1.2.4.50," // JPEG baseline
          + "1.2.840.10008.1.2.4.51," // JPEG extended
          + "1.2.840.10008.1.2.4.81," // JPEG-LS near-lossless
          + "1.2.840.10008.1.2.4.91," // JPEG 2000
          + "1.2.840.10008.1.2.1," // Explicit VR little endian
          + "1.2.840.10008.1.2," // Implicit VR little endian
          + "1.2.840.10008.1.2.1.99," // Deflated explicit VR little endian
          + "1.2.840.10008.1.2.2"; // Explicit VR big endian (retired, still in old archives)

  private StorageSopClasses() {}
}
