package io.ponte.load;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.testing.DicomTestFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated CT studies for the load suite: 512x512 16-bit instances (0.5 MB, the size),
 * written as Part 10 files for storescu, fresh UIDs each time. The pixels are one random image
 * shared by every instance of a generator: drawing 0.5 MB of random numbers per instance would cost
 * the senders CPU that the servers under test need, and no server looks at pixel values on ingest.
 */
final class LoadCt {

  /** One generated study: what a clinician searches for and retrieves. */
  record Study(
      String patientId,
      String patientName,
      String date,
      String uid,
      String series,
      List<String> sops) {}

  private final byte[] pixels = new byte[512 * 512 * 2];

  LoadCt(long seed) {
    new Random(seed).nextBytes(pixels);
  }

  /** Writes {@code count} instances of one new study (one series) into {@code dir}. */
  Study study(Path dir, String patientId, String patientName, String date, int count)
      throws IOException {
    Files.createDirectories(dir);
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String sop = DicomTestFiles.newUid();
      Attributes ds = new Attributes();
      ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
      ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
      ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
      ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
      ds.setString(Tag.StudyDate, VR.DA, date);
      ds.setString(Tag.StudyTime, VR.TM, "101500");
      ds.setString(Tag.AccessionNumber, VR.SH, "L" + Math.abs(study.hashCode()));
      ds.setString(Tag.Modality, VR.CS, "CT");
      ds.setString(Tag.StudyDescription, VR.LO, "CT LOAD SUITE");
      ds.setString(Tag.PatientName, VR.PN, patientName);
      ds.setString(Tag.PatientID, VR.LO, patientId);
      ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
      ds.setString(Tag.PatientSex, VR.CS, "O");
      ds.setString(Tag.StudyInstanceUID, VR.UI, study);
      ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
      ds.setInt(Tag.SeriesNumber, VR.IS, 1);
      ds.setInt(Tag.InstanceNumber, VR.IS, i + 1);
      ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
      ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
      ds.setInt(Tag.Rows, VR.US, 512);
      ds.setInt(Tag.Columns, VR.US, 512);
      ds.setInt(Tag.BitsAllocated, VR.US, 16);
      ds.setInt(Tag.BitsStored, VR.US, 16);
      ds.setInt(Tag.HighBit, VR.US, 15);
      ds.setInt(Tag.PixelRepresentation, VR.US, 0);
      ds.setBytes(Tag.PixelData, VR.OW, pixels);
      try (OutputStream file =
              new BufferedOutputStream(Files.newOutputStream(dir.resolve(sop + ".dcm")), 65536);
          DicomOutputStream out = new DicomOutputStream(file)) {
        out.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(
                UID.CTImageStorage, sop, UID.ExplicitVRLittleEndian));
        out.writeDataset(ds, UID.ExplicitVRLittleEndian);
      }
      sops.add(sop);
    }
    return new Study(patientId, patientName, date, study, series, sops);
  }
}
