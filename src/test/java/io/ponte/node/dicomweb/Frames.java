package io.ponte.node.dicomweb;

import io.ponte.testing.DicomTestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Multi-frame uncompressed images written by dcmtk's dump2dcm (and dcmconv for implicit VR). */
final class Frames {

  private Frames() {}

  /** The raw pixel bytes written into the file: frame k is bytes [(k-1)·frameSize, k·frameSize). */
  record Image(Path file, byte[] pixels, int frameSize) {
    byte[] frame(int number) {
      return java.util.Arrays.copyOfRange(pixels, (number - 1) * frameSize, number * frameSize);
    }
  }

  /**
   * 16-bit grayscale (samples 1) or 8-bit RGB (samples 3) multi-frame secondary capture, explicit
   * VR LE, or implicit VR LE when {@code implicit}.
   */
  static Image multiFrame(
      Path dir,
      String study,
      String series,
      String sop,
      int rows,
      int columns,
      int frames,
      int samples,
      int bitsAllocated,
      boolean implicit,
      long seed)
      throws IOException {
    Files.createDirectories(dir);
    int frameSize = rows * columns * samples * bitsAllocated / 8;
    byte[] pixels = new byte[frameSize * frames];
    new Random(seed).nextBytes(pixels);
    Path raw = dir.resolve(sop + ".raw");
    Files.write(raw, pixels);
    boolean rgb = samples == 3;
    String dump =
        String.join(
                "\n",
                "(0008,0016) UI ["
                    + (rgb ? "1.2.840.10008.5.1.4.1.1.7.4" : "1.2.840.10008.5.1.4.1.1.7.3")
                    + "]",
                "(0008,0018) UI [" + sop + "]",
                "(0008,0020) DA [20260201]",
                "(0008,0060) CS [OT]",
                "(0010,0010) PN [Frames^Fay]",
                "(0010,0020) LO [FR-" + seed + "]",
                "(0020,000d) UI [" + study + "]",
                "(0020,000e) UI [" + series + "]",
                "(0020,0011) IS [9]",
                "(0020,0013) IS [" + (seed % 100) + "]",
                "(0028,0002) US " + samples,
                "(0028,0004) CS [" + (rgb ? "RGB" : "MONOCHROME2") + "]",
                rgb ? "(0028,0006) US 0" : "(0028,0103) US 0",
                "(0028,0008) IS [" + frames + "]",
                "(0028,0010) US " + rows,
                "(0028,0011) US " + columns,
                "(0028,0100) US " + bitsAllocated,
                "(0028,0101) US " + bitsAllocated,
                "(0028,0102) US " + (bitsAllocated - 1),
                "(7fe0,0010) " + (bitsAllocated > 8 ? "OW" : "OB") + " =" + raw.toAbsolutePath())
            + "\n";
    Path dumpFile = dir.resolve(sop + ".dump");
    Files.writeString(dumpFile, dump);
    Path out = dir.resolve(sop + ".dcm");
    DicomTestFiles.run("dump2dcm", "+te", dumpFile.toString(), out.toString());
    if (implicit) {
      Path converted = dir.resolve(sop + "-implicit.dcm");
      DicomTestFiles.run("dcmconv", "+ti", out.toString(), converted.toString());
      Files.move(converted, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.delete(raw);
    Files.delete(dumpFile);
    return new Image(out, pixels, frameSize);
  }
}
