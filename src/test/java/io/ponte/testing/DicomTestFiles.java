package io.ponte.testing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * DICOM files for tests, made by dcmtk (dump2dcm, dcmodify) so that what Ponte reads was written by
 * an independent implementation; and the shared real samples (../shared/dicom-samples),
 * re-identified with fresh UIDs so repeated runs against one test database never collide.
 */
public final class DicomTestFiles {

  private static final Random RANDOM = new Random();

  private DicomTestFiles() {}

  /** A fresh UID under the UUID-derived root 2.25 (PS3.5 B.2). */
  public static String newUid() {
    UUID u = UUID.randomUUID();
    BigInteger value =
        new BigInteger(
            1,
            java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array());
    return "2.25." + value;
  }

  /**
   * A CT Image Storage instance written by dump2dcm (explicit VR little endian) with {@code
   * pixelBytes} of random pixel data (a 16-bit square image when possible).
   */
  public static Path ct(
      Path dir, String study, String series, String sop, int pixelBytes, long seed)
      throws IOException {
    Files.createDirectories(dir);
    Path pixels = dir.resolve(sop + ".raw");
    byte[] data = new byte[pixelBytes];
    new Random(seed).nextBytes(data);
    Files.write(pixels, data);
    int side = (int) Math.sqrt(pixelBytes / 2.0);
    String dump =
        String.join(
                "\n",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0016) UI =CTImageStorage",
                "(0008,0018) UI [" + sop + "]",
                "(0008,0020) DA [20260115]",
                "(0008,0030) TM [101500]",
                "(0008,0050) SH [ACC" + (seed & 0xffff) + "]",
                "(0008,0060) CS [CT]",
                "(0008,0090) PN [Referrer^Ruth]",
                "(0008,1030) LO [CT chest]",
                "(0008,103e) LO [axial 1mm]",
                "(0010,0010) PN [Tester^Tina]",
                "(0010,0020) LO [PAT-" + (seed & 0xffff) + "]",
                "(0010,0021) LO [hospital-a]",
                "(0010,0030) DA [19700101]",
                "(0010,0040) CS [F]",
                "(0020,000d) UI [" + study + "]",
                "(0020,000e) UI [" + series + "]",
                "(0020,0010) SH [S1]",
                "(0020,0011) IS [3]",
                "(0020,0013) IS [" + (1 + (seed & 0xff)) + "]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US " + side,
                "(0028,0011) US " + (pixelBytes / 2 / Math.max(side, 1)),
                "(0028,0100) US 16",
                "(0028,0101) US 16",
                "(0028,0102) US 15",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + pixels.toAbsolutePath())
            + "\n";
    Path dumpFile = dir.resolve(sop + ".dump");
    Files.writeString(dumpFile, dump);
    Path out = dir.resolve(sop + ".dcm");
    run("dump2dcm", "+te", dumpFile.toString(), out.toString());
    Files.delete(pixels);
    Files.delete(dumpFile);
    return out;
  }

  /** The real samples directory, or the test is skipped with a visible notice when it is absent. */
  public static Path samples() {
    return DicomSamples.require();
  }

  /**
   * A copy of a sample with fresh study/series/SOP instance UIDs (file meta updated by dcmodify).
   */
  public static Path sample(String name, Path dir, String study, String series, String sop)
      throws IOException {
    Path source = samples().resolve(name);
    Peers.require(Files.isRegularFile(source), "the shared DICOM sample " + name);
    Files.createDirectories(dir);
    Path copy = dir.resolve(sop + "-" + name);
    Files.copy(source, copy);
    run(
        "dcmodify",
        "-nb",
        "-m",
        "(0020,000d)=" + study,
        "-m",
        "(0020,000e)=" + series,
        "-m",
        "(0008,0018)=" + sop,
        copy.toString());
    return copy;
  }

  /** Runs a dcmtk tool; fails the test with its output when it fails. */
  public static void run(String... command) throws IOException {
    Dcmtk.runOk(command);
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A multipart/related body of Part 10 files, and its Content-Type with the boundary. */
  public record Multipart(byte[] body, String contentType) {}

  public static Multipart multipart(List<byte[]> parts) {
    String boundary = "ponte-" + Long.toHexString(RANDOM.nextLong());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes());
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes());
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes());
    return new Multipart(
        out.toByteArray(), "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
  }

  public static Multipart multipartOfFiles(List<Path> files) throws IOException {
    List<byte[]> parts = new ArrayList<>();
    for (Path f : files) {
      parts.add(Files.readAllBytes(f));
    }
    return multipart(parts);
  }
}
