package io.ponte.demo;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes synthetic but well-formed DICOM Part 10 studies with our own codec: realistic
 * patient/study/ series headers and 16-bit monochrome pixel data. UIDs are derived from a name
 * (2.25 form, PS3.5 B.2), so generating the same study twice yields the same UIDs and a re-run of
 * the bring-up stores nothing twice.
 */
public final class SampleStudyWriter {

  private SampleStudyWriter() {}

  /** A UID derived from {@code name}: {@code 2.25.<decimal of a name-based UUID>}. */
  public static String uid(String name) {
    UUID uuid = UUID.nameUUIDFromBytes(("ponte-demo:" + name).getBytes(StandardCharsets.UTF_8));
    ByteBuffer bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits());
    return "2.25." + new BigInteger(1, bytes.array());
  }

  /**
   * Writes every instance of {@code study} under {@code dir} as {@code <sop>.dcm}, with {@code
   * size}×{@code size} pixels; returns the files written.
   */
  public static List<Path> write(DemoCatalogue.Study study, Path dir, int size) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    String studyUid = uid(study.key());
    String sopClass =
        switch (study.modality()) {
          case "CT" -> UID.CTImageStorage;
          case "MR" -> UID.MRImageStorage;
          default -> UID.ComputedRadiographyImageStorage;
        };
    for (int s = 1; s <= study.series(); s++) {
      String seriesUid = uid(study.key() + "/" + s);
      for (int i = 1; i <= study.instancesPerSeries(); i++) {
        String sopUid = uid(study.key() + "/" + s + "/" + i);
        Attributes ds = header(study, studyUid, seriesUid, sopClass, sopUid, s, i, size);
        ds.setBytes(Tag.PixelData, VR.OW, pixels(size, s * 31 + i));
        Path file = dir.resolve(sopUid + ".dcm");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
            DicomOutputStream dos = new DicomOutputStream(out)) {
          dos.writeFileMetaInformation(
              DicomOutputStream.createFileMetaInformation(
                  sopClass, sopUid, UID.ExplicitVRLittleEndian));
          dos.writeDataset(ds, UID.ExplicitVRLittleEndian);
        }
        files.add(file);
      }
    }
    return files;
  }

  /** View Position (0018,5101), CR Series module; not in {@link Tag}'s list. */
  private static final int VIEW_POSITION = 0x00185101;

  /**
   * The header of one instance: what the CT, MR or CR Image IOD requires (dciodvfy finds no error
   * in it; see DemoSamplesConformanceTest), with plausible acquisition values for each modality.
   */
  private static Attributes header(
      DemoCatalogue.Study study,
      String studyUid,
      String seriesUid,
      String sopClass,
      String sopUid,
      int series,
      int instance,
      int size) {
    DemoCatalogue.Patient p = study.patient();
    Attributes ds = new Attributes(64);
    // ISO_IR 192 so that "Gonçalves" and "Hélène" survive every hop.
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
    ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
    ds.setString(Tag.StudyDate, VR.DA, study.date());
    ds.setString(Tag.SeriesDate, VR.DA, study.date());
    ds.setString(Tag.ContentDate, VR.DA, study.date());
    ds.setString(Tag.StudyTime, VR.TM, study.time());
    ds.setString(Tag.ContentTime, VR.TM, study.time());
    ds.setString(Tag.AccessionNumber, VR.SH, accession(study));
    ds.setString(Tag.Modality, VR.CS, study.modality());
    ds.setString(Tag.Manufacturer, VR.LO, "Ponte demo generator");
    ds.setString(
        Tag.InstitutionName, VR.LO, p.site().equals("hospital-a") ? "Hospital A" : "Hospital B");
    ds.setString(Tag.ReferringPhysicianName, VR.PN, "Costa^Ana");
    ds.setString(Tag.StudyDescription, VR.LO, study.description());
    ds.setString(Tag.SeriesDescription, VR.LO, study.description() + " — series " + series);
    ds.setString(Tag.PatientName, VR.PN, p.name());
    ds.setString(Tag.PatientID, VR.LO, p.mrn());
    ds.setString(Tag.IssuerOfPatientID, VR.LO, p.issuer());
    ds.setString(Tag.PatientBirthDate, VR.DA, p.birthDate());
    ds.setString(Tag.PatientSex, VR.CS, p.sex());
    ds.setString(Tag.BodyPartExamined, VR.CS, study.bodyPart());
    if (study.bodyPart().equals("KNEE")) {
      // A paired body part: General Series requires its side (type 2C).
      ds.setString(Tag.Laterality, VR.CS, study.description().contains("left") ? "L" : "R");
    }
    ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
    ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
    ds.setString(
        Tag.StudyID, VR.SH, study.key().length() > 16 ? study.key().substring(0, 16) : study.key());
    ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(series));
    ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instance));
    switch (study.modality()) {
      case "CT" -> ct(ds, study, instance);
      case "MR" -> mr(ds, study, instance);
      default -> cr(ds, study);
    }
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.setInt(Tag.Rows, VR.US, size);
    ds.setInt(Tag.Columns, VR.US, size);
    ds.setString(Tag.PixelSpacing, VR.DS, "0.7", "0.7");
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    ds.setInt(Tag.BitsStored, VR.US, 12);
    ds.setInt(Tag.HighBit, VR.US, 11);
    ds.setInt(Tag.PixelRepresentation, VR.US, 0);
    ds.setString(Tag.WindowCenter, VR.DS, "1024");
    ds.setString(Tag.WindowWidth, VR.DS, "2048");
    return ds;
  }

  /** CT Image: an axial helical slice at 120 kV, rescaled to Hounsfield units. */
  private static void ct(Attributes ds, DemoCatalogue.Study study, int instance) {
    ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
    ds.setString(Tag.KVP, VR.DS, "120");
    ds.setString(Tag.AcquisitionNumber, VR.IS, "1");
    ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
    ds.setString(Tag.RescaleSlope, VR.DS, "1");
    slice(ds, study, instance);
  }

  /** MR Image: a 2D spin-echo slice (T1-weighted timings). */
  private static void mr(Attributes ds, DemoCatalogue.Study study, int instance) {
    ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "OTHER");
    ds.setString(Tag.ScanningSequence, VR.CS, "SE");
    ds.setString(Tag.SequenceVariant, VR.CS, "NONE");
    ds.setString(Tag.ScanOptions, VR.CS);
    ds.setString(Tag.MRAcquisitionType, VR.CS, "2D");
    ds.setString(Tag.RepetitionTime, VR.DS, "500");
    ds.setString(Tag.EchoTime, VR.DS, "15");
    ds.setString(Tag.EchoTrainLength, VR.IS, "1");
    ds.setString(Tag.MagneticFieldStrength, VR.DS, "1.5");
    ds.setString(Tag.ImagedNucleus, VR.SH, "1H");
    ds.setString(Tag.AcquisitionNumber, VR.IS, "1");
    slice(ds, study, instance);
  }

  /**
   * CR Image: one projection, so no position or orientation in the patient's frame (those belong to
   * cross-sectional images); Patient Orientation says which way rows and columns run instead.
   */
  private static void cr(Attributes ds, DemoCatalogue.Study study) {
    ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY");
    ds.setString(VIEW_POSITION, VR.CS, study.description().contains("PA") ? "PA" : "AP");
    ds.setString(Tag.PatientOrientation, VR.CS, "L", "F");
  }

  /** A cross-sectional slice: its place in the study's frame of reference. */
  private static void slice(Attributes ds, DemoCatalogue.Study study, int instance) {
    // Feet first for the knee, head first for everything else.
    ds.setString(Tag.PatientPosition, VR.CS, study.bodyPart().equals("KNEE") ? "FFS" : "HFS");
    ds.setString(Tag.SliceThickness, VR.DS, "2.5");
    ds.setString(Tag.ImagePositionPatient, VR.DS, "-125", "-125", Double.toString(instance * 2.5));
    ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
    ds.setString(Tag.FrameOfReferenceUID, VR.UI, uid(study.key() + "/frame-of-reference"));
    // Type 2: no anatomical landmark for a synthetic study, so present and empty.
    ds.setString(Tag.PositionReferenceIndicator, VR.LO);
  }

  /** Accession numbers as a RIS would issue them: site letter, year, sequence. */
  private static String accession(DemoCatalogue.Study study) {
    String site = study.patient().site().equals("hospital-a") ? "A" : "B";
    return site
        + study.date().substring(0, 4)
        + String.format("%05d", Math.abs(study.key().hashCode()) % 100000);
  }

  /** A smooth ring pattern, different per instance, 12 bits stored in 16. */
  private static byte[] pixels(int size, int seed) {
    byte[] out = new byte[size * size * 2];
    double centre = size / 2.0;
    for (int y = 0, o = 0; y < size; y++) {
      for (int x = 0; x < size; x++, o += 2) {
        double r = Math.hypot(x - centre, y - centre);
        int v = (int) (2048 + 1500 * Math.cos(r / (3 + seed % 7)) * Math.exp(-r / size)) & 0x0FFF;
        out[o] = (byte) v;
        out[o + 1] = (byte) (v >>> 8);
      }
    }
    return out;
  }
}
