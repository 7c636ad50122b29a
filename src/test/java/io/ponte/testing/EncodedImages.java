package io.ponte.testing;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Test images with bulk data and in compressed transfer syntaxes: written by dcmtk's dump2dcm, then
 * compressed by dcmcjpeg, dcmcjpls, dcmcrle (or converted by dcmconv), or written by the project's
 * own codec when dcmtk has no encoder (JPEG 2000: fragments of a made-up codestream, which pass
 * through untouched).
 */
public final class EncodedImages {

  /** Size of the ICC profile (0028,2000) written: over 1 KiB, so served by BulkDataURI. */
  public static final int ICC_BYTES = 4096;

  /** Size of the overlay data (6000,3000): under 1 KiB, so inline. */
  public static final int OVERLAY_BYTES = 600;

  /** Size of the icon's pixel data in the Icon Image Sequence (0088,0200): 32×32×16 bit. */
  public static final int ICON_BYTES = 2048;

  private EncodedImages() {}

  /**
   * An 8-bit MONOCHROME2 secondary capture of {@code frames} 64×64 frames, explicit VR LE, with an
   * ICC profile, an overlay and a native icon.
   */
  public static Path withBulkData(
      Path dir, String study, String series, String sop, int frames, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    Path px = write(dir.resolve(sop + ".px"), 64 * 64 * frames, random);
    Path icc = write(dir.resolve(sop + ".icc"), ICC_BYTES, random);
    Path overlay = write(dir.resolve(sop + ".ov"), OVERLAY_BYTES, random);
    Path icon = write(dir.resolve(sop + ".icon"), ICON_BYTES, random);
    String dump =
        String.join(
                "\n",
                "(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7.2]",
                "(0008,0018) UI [" + sop + "]",
                "(0008,0020) DA [20260301]",
                "(0008,0060) CS [OT]",
                "(0010,0010) PN [Bulk^Berta]",
                "(0010,0020) LO [BULK-" + seed + "]",
                "(0020,000d) UI [" + study + "]",
                "(0020,000e) UI [" + series + "]",
                "(0020,0013) IS [1]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0008) IS [" + frames + "]",
                "(0028,0010) US 64",
                "(0028,0011) US 64",
                "(0028,0100) US 8",
                "(0028,0101) US 8",
                "(0028,0102) US 7",
                "(0028,0103) US 0",
                "(0028,2000) OB =" + icc.toAbsolutePath(),
                "(0088,0200) SQ (Sequence with undefined length #=1)",
                "  (fffe,e000) na (Item with undefined length #=9)",
                "    (0028,0002) US 1",
                "    (0028,0004) CS [MONOCHROME2]",
                "    (0028,0010) US 32",
                "    (0028,0011) US 32",
                "    (0028,0100) US 16",
                "    (0028,0101) US 16",
                "    (0028,0102) US 15",
                "    (0028,0103) US 0",
                "    (7fe0,0010) OW =" + icon.toAbsolutePath(),
                "  (fffe,e00d) na (ItemDelimitationItem)",
                "(fffe,e0dd) na (SequenceDelimitationItem)",
                "(6000,3000) OW =" + overlay.toAbsolutePath(),
                "(7fe0,0010) OB =" + px.toAbsolutePath())
            + "\n";
    Path dumpFile = dir.resolve(sop + ".dump");
    Files.writeString(dumpFile, dump);
    Path out = dir.resolve(sop + ".dcm");
    Dcmtk.runOk("dump2dcm", "+te", dumpFile.toString(), out.toString());
    return out;
  }

  /**
   * {@code in} run through a dcmtk tool ({@code dcmcjpeg +eb}, {@code dcmcjpls}, {@code dcmcrle},
   * {@code dcmconv +tb}...) into {@code out}.
   */
  public static Path converted(Path in, Path out, String... tool) throws IOException {
    String[] command = new String[tool.length + 2];
    System.arraycopy(tool, 0, command, 0, tool.length);
    command[tool.length] = in.toString();
    command[tool.length + 1] = out.toString();
    Dcmtk.runOk(command);
    return out;
  }

  /**
   * The same image under a JPEG 2000 syntax written by the project's codec: frame k's made-up
   * codestream (starting with SOC/SIZ markers) split into {@code splits[k]} fragments, an empty
   * offset table, so frames are found by their start markers. Fragments of odd length are padded
   * (PS3.5 A.4), so give even splits.
   */
  public static Path jpeg2000(Path from, Path out, List<byte[]> frames, int[] splits)
      throws IOException {
    Attributes ds;
    try (InputStream in = Files.newInputStream(from);
        DicomInputStream dicom = new DicomInputStream(in)) {
      ds = dicom.readDatasetUntilPixelData();
    }
    ds.remove(0x00880200); // Icon Image Sequence: not needed here
    Fragments fragments = new Fragments(VR.OB);
    fragments.add(new byte[0]); // the (empty) Basic Offset Table item comes first
    for (int k = 0; k < frames.size(); k++) {
      byte[] f = frames.get(k);
      int step = (f.length + splits[k] - 1) / splits[k];
      for (int at = 0; at < f.length; at += step) {
        fragments.add(java.util.Arrays.copyOfRange(f, at, Math.min(f.length, at + step)));
      }
    }
    ds.setFragments(Tag.PixelData, fragments);
    try (OutputStream o = Files.newOutputStream(out);
        DicomOutputStream dicom = new DicomOutputStream(o)) {
      dicom.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(
              ds.getString(Tag.SOPClassUID),
              ds.getString(Tag.SOPInstanceUID),
              UID.JPEG2000Lossless));
      dicom.writeDataset(ds, UID.JPEG2000Lossless);
    }
    return out;
  }

  /** A made-up JPEG 2000 codestream of {@code length} bytes: SOC, SIZ, then noise. */
  public static byte[] codestream(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    b[0] = (byte) 0xFF;
    b[1] = 0x4F;
    b[2] = (byte) 0xFF;
    b[3] = 0x51;
    return b;
  }

  /** The fragments of a file's encapsulated Pixel Data (offset table excluded), in order. */
  public static List<byte[]> fragments(Path file) throws IOException {
    return dataset(file).getFragments(Tag.PixelData).fragments();
  }

  /** The whole data set as the project's codec reads it (values little endian). */
  public static Attributes dataset(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DicomInputStream dicom =
            new DicomInputStream(in, io.ponte.dicom.DicomReadLimits.UNLIMITED)) {
      return dicom.readDataset();
    }
  }

  private static Path write(Path file, int length, Random random) throws IOException {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return Files.write(file, b);
  }
}
