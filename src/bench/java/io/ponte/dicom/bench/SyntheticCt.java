package io.ponte.dicom.bench;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * A realistic 512x512 16-bit CT image (about 100 header elements, two sequences) as Part 10 bytes.
 */
public final class SyntheticCt {

  private SyntheticCt() {}

  public static byte[] part10() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
    ds.setString(Tag.InstanceCreationDate, VR.DA, "20240131");
    ds.setString(Tag.InstanceCreationTime, VR.TM, "101112.123456");
    ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
    ds.setString(
        Tag.SOPInstanceUID,
        VR.UI,
        "1.2.826.0.1.3680043.2.1125.1.34918616334750294149839565085991567");
    ds.setString(Tag.StudyDate, VR.DA, "20240131");
    ds.setString(Tag.SeriesDate, VR.DA, "20240131");
    ds.setString(Tag.AcquisitionDate, VR.DA, "20240131");
    ds.setString(Tag.ContentDate, VR.DA, "20240131");
    ds.setString(Tag.StudyTime, VR.TM, "101010");
    ds.setString(Tag.SeriesTime, VR.TM, "101500");
    ds.setString(Tag.AcquisitionTime, VR.TM, "101512.5");
    ds.setString(Tag.ContentTime, VR.TM, "101512.5");
    ds.setString(Tag.AccessionNumber, VR.SH, "HOSPA-2024-000042");
    ds.setString(Tag.Modality, VR.CS, "CT");
    ds.setString(Tag.Manufacturer, VR.LO, "ACME Medical");
    ds.setString(Tag.InstitutionName, VR.LO, "Hospital de Santo António");
    ds.setString(Tag.ReferringPhysicianName, VR.PN, "Gonçalves^João^^Dr.");
    ds.setString(Tag.StationName, VR.SH, "CT01");
    ds.setString(Tag.StudyDescription, VR.LO, "CT TORAX C/ CONTRASTE");
    ds.setString(Tag.SeriesDescription, VR.LO, "TORAX 1.25mm");
    ds.setString(Tag.InstitutionalDepartmentName, VR.LO, "Radiologia");
    ds.setString(Tag.OperatorsName, VR.PN, "Silva^Ana");
    ds.setString(Tag.ManufacturerModelName, VR.LO, "Scanner 9000");
    Sequence ref = ds.newSequence(Tag.ReferencedStudySequence);
    Attributes r = ref.addItem();
    r.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1");
    r.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1.777");
    ds.setString(Tag.PatientName, VR.PN, "Dubois^Hélène");
    ds.setString(Tag.PatientID, VR.LO, "REG-000001");
    ds.setString(Tag.IssuerOfPatientID, VR.LO, "HOSPA");
    ds.setString(Tag.PatientBirthDate, VR.DA, "19800229");
    ds.setString(Tag.PatientSex, VR.CS, "F");
    ds.setString(Tag.PatientAge, VR.AS, "044Y");
    ds.setString(Tag.PatientWeight, VR.DS, "61.5");
    ds.setString(Tag.PatientIdentityRemoved, VR.CS, "NO");
    ds.setString(Tag.BodyPartExamined, VR.CS, "CHEST");
    ds.setString(Tag.SliceThickness, VR.DS, "1.25");
    ds.setString(Tag.KVP, VR.DS, "120");
    ds.setString(Tag.ProtocolName, VR.LO, "TORAX ROTINA");
    ds.setString(Tag.ConvolutionKernel, VR.SH, "STANDARD");
    ds.setString(Tag.PatientPosition, VR.CS, "FFS");
    ds.setString(Tag.ExposureTime, VR.IS, "600");
    ds.setString(Tag.XRayTubeCurrent, VR.IS, "250");
    ds.setString(Tag.Exposure, VR.IS, "150");
    ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1.1001");
    ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1.1002");
    ds.setString(Tag.StudyID, VR.SH, "42");
    ds.setInt(Tag.SeriesNumber, VR.IS, 3);
    ds.setInt(Tag.InstanceNumber, VR.IS, 117);
    ds.setString(Tag.ImagePositionPatient, VR.DS, "-175.5", "-180.25", "-412.5");
    ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
    ds.setString(Tag.FrameOfReferenceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1.1003");
    ds.setString(Tag.PositionReferenceIndicator, VR.LO, "");
    ds.setString(Tag.SliceLocation, VR.DS, "-412.5");
    Sequence src = ds.newSequence(Tag.SourceImageSequence);
    for (int i = 0; i < 2; i++) {
      Attributes s = src.addItem();
      s.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
      s.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1.2000." + i);
    }
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.setInt(Tag.Rows, VR.US, 512);
    ds.setInt(Tag.Columns, VR.US, 512);
    ds.setString(Tag.PixelSpacing, VR.DS, "0.703125", "0.703125");
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    ds.setInt(Tag.BitsStored, VR.US, 12);
    ds.setInt(Tag.HighBit, VR.US, 11);
    ds.setInt(Tag.PixelRepresentation, VR.US, 0);
    ds.setString(Tag.WindowCenter, VR.DS, "40", "-600");
    ds.setString(Tag.WindowWidth, VR.DS, "400", "1500");
    ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
    ds.setString(Tag.RescaleSlope, VR.DS, "1");
    ds.setString(Tag.RescaleType, VR.LO, "HU");
    ds.setString(Tag.LossyImageCompression, VR.CS, "00");
    ds.setString(0x00090010, VR.LO, "ACME CT 1.0");
    for (int e = 0x1001; e <= 0x1020; e++) {
      ds.setString(0x00090000 | e, VR.LO, "private value " + e);
    }
    byte[] pixels = new byte[512 * 512 * 2];
    Random rnd = new Random(42);
    for (int i = 0; i < pixels.length; i += 2) {
      int v = 1024 + (int) (rnd.nextGaussian() * 200);
      pixels[i] = (byte) v;
      pixels[i + 1] = (byte) ((v >> 8) & 0x0F);
    }
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    ByteArrayOutputStream bo = new ByteArrayOutputStream(pixels.length + 8192);
    try (DicomOutputStream out = new DicomOutputStream(bo)) {
      out.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(
              UID.CTImageStorage, ds.getString(Tag.SOPInstanceUID), UID.ExplicitVRLittleEndian));
      out.writeDataset(ds, UID.ExplicitVRLittleEndian);
    }
    return bo.toByteArray();
  }
}
