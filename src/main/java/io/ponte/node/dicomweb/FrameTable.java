package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each frame's bytes lie in a stored Part 10 file, so a frame request reads only those: for
 * native pixel data one range per frame (to be byte-swapped when stored big endian); for
 * encapsulated pixel data the fragments of each frame, found from the Extended Offset Table, else
 * the Basic Offset Table, else one fragment per frame, else the codestream start markers (PS3.5
 * A.4). Built once per stored file and kept by {@link FrameTables}.
 *
 * @param ranges per frame, its byte ranges in the file as {offset, length, offset, length...}
 * @param swapUnit 2 when the frames are big endian OW words to be swapped, else 0
 */
record FrameTable(String transferSyntaxUid, long[][] ranges, int swapUnit) {

  /** Whether frames of instances stored in this transfer syntax are served. */
  static boolean framesServed(String tsuid) {
    return (UID.isNative(tsuid) && !UID.isDeflated(tsuid)) || FrameMediaTypes.of(tsuid) != null;
  }

  boolean encapsulated() {
    return !UID.isNative(transferSyntaxUid);
  }

  int frames() {
    return ranges.length;
  }

  /** The byte ranges of frame {@code number} (1-based); 404 when the instance has no such frame. */
  long[] frame(int number) {
    if (number < 1 || number > ranges.length) {
      throw new ProblemException(
          ErrorCode.NOT_FOUND,
          "frame " + number + " does not exist; this instance has " + ranges.length);
    }
    return ranges[number - 1];
  }

  static long length(long[] ranges) {
    long n = 0;
    for (int i = 1; i < ranges.length; i += 2) {
      n += ranges[i];
    }
    return n;
  }

  /** Reads a file's byte range. */
  interface RangeReader {
    InputStream open(long offset, long length) throws IOException;
  }

  /**
   * Reads the table: the header from {@code whole} (only up to Pixel Data), then the Pixel Data
   * element and, when encapsulated, its item headers (skipping the fragments' bytes) by range.
   */
  static FrameTable read(InputStream whole, long fileSize, RangeReader file) throws IOException {
    PixelDataHeader pixelHeader = PixelDataHeader.read(whole);
    String tsuid = pixelHeader.transferSyntaxUid();
    long pixelElement = pixelHeader.pixelElement();
    if (!framesServed(tsuid)) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames of instances stored as "
              + UID.nameOf(tsuid)
              + " are not served; retrieve the whole instance instead");
    }
    PixelDataHeader.Image image = pixelHeader.image();
    int frames = image.frames();
    byte[] h;
    try (InputStream in = file.open(pixelElement, 12)) {
      h = in.readNBytes(12);
    }
    boolean bigEndian = UID.isBigEndian(tsuid);
    int element = h.length < 8 ? -1 : u16(h, 2, bigEndian);
    if (h.length < 8 || u16(h, 0, bigEndian) != 0x7FE0 || !isPixelData(element)) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "this instance has no pixel data");
    }
    // Explicit VR unless the reader found the data set implicit (also under some compressed
    // syntaxes, see DicomInputStream): an explicit header has a VR ("OB"/"OW"/"OF"/"OD") at byte 4.
    boolean explicit = h[4] == 'O' && (h[5] == 'B' || h[5] == 'W' || h[5] == 'F' || h[5] == 'D');
    if (element != 0x0010 && bigEndian) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames of big endian float pixel data are not served; retrieve the whole instance");
    }
    long length = explicit ? u32(h, 8, bigEndian) : u32(h, 4, bigEndian);
    long valueOffset = pixelElement + (explicit ? 12 : 8);
    if (!UID.isNative(tsuid)) {
      if (length != 0xFFFFFFFFL) {
        throw invalid("the Pixel Data is not encapsulated as its transfer syntax says");
      }
      return encapsulated(pixelHeader.dataset(), tsuid, frames, valueOffset, fileSize, file);
    }
    if (length == 0xFFFFFFFFL) {
      throw invalid("encapsulated Pixel Data under a native transfer syntax");
    }
    image.requireWholeBytes();
    long frameSize = image.frameSize();
    if (frameSize * frames > length) {
      throw invalid(
          "the Pixel Data is shorter than " + frames + " frames of " + frameSize + " bytes");
    }
    long[][] ranges = new long[frames][];
    for (int k = 0; k < frames; k++) {
      ranges[k] = new long[] {valueOffset + k * frameSize, frameSize};
    }
    // OW is swapped as 16-bit words in big endian; OB bytes stay as they are.
    int swap = bigEndian && explicit && h[5] == 'W' ? 2 : 0;
    return new FrameTable(tsuid, ranges, swap);
  }

  /** One fragment: where its item header starts (from the first item after the offset table). */
  private record Fragment(long itemOffset, long valueOffset, long length, byte[] head) {}

  private static FrameTable encapsulated(
      Attributes ds, String tsuid, int frames, long valueOffset, long fileSize, RangeReader file)
      throws IOException {
    long[] bot;
    List<Fragment> fragments = new ArrayList<>();
    try (InputStream in =
        new BufferedInputStream(file.open(valueOffset, fileSize - valueOffset), 8192)) {
      long pos = valueOffset;
      byte[] item = readItem(in, pos);
      long botLength = u32(item, 4, false);
      if (u16(item, 0, false) != 0xFFFE || u16(item, 2, false) != 0xE000) {
        throw invalid("the encapsulated Pixel Data does not start with its offset table item");
      }
      pos += 8;
      if (botLength % 4 != 0 || botLength > fileSize - pos) {
        throw invalid("bad Basic Offset Table length " + botLength);
      }
      byte[] table = in.readNBytes((int) botLength);
      if (table.length != botLength) {
        throw invalid("the Basic Offset Table is cut short");
      }
      pos += botLength;
      bot = new long[table.length / 4];
      for (int i = 0; i < bot.length; i++) {
        bot[i] = ByteUtil.int32(table, i * 4) & 0xFFFFFFFFL;
      }
      long first = pos;
      while (true) {
        item = readItem(in, pos);
        int tag = u16(item, 0, false) << 16 | u16(item, 2, false);
        long len = u32(item, 4, false);
        if (tag == Tag.SequenceDelimitationItem) {
          break;
        }
        if (tag != Tag.Item || len == 0xFFFFFFFFL || len > fileSize - pos - 8) {
          throw invalid("bad fragment item at byte " + pos);
        }
        int peek = (int) Math.min(len, 8);
        byte[] head = in.readNBytes(peek);
        in.skipNBytes(len - peek);
        fragments.add(new Fragment(pos - first, pos + 8, len, head));
        pos += 8 + len;
      }
    }
    if (fragments.isEmpty()) {
      throw invalid("the encapsulated Pixel Data has no fragments");
    }
    long[] offsets = extendedOffsets(ds, frames);
    if (offsets == null && bot.length == frames) {
      offsets = bot;
    }
    List<Integer> starts =
        offsets != null ? startsAt(fragments, offsets) : startsWithoutTable(fragments, frames);
    if (starts == null || starts.size() != frames || starts.get(0) != 0) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "the frames of this instance's "
              + fragments.size()
              + " fragments cannot be told apart (no usable offset table);"
              + " retrieve the whole instance instead");
    }
    long[][] ranges = new long[frames][];
    for (int k = 0; k < frames; k++) {
      int from = starts.get(k);
      int to = k + 1 < frames ? starts.get(k + 1) : fragments.size();
      long[] r = new long[(to - from) * 2];
      for (int f = from; f < to; f++) {
        r[(f - from) * 2] = fragments.get(f).valueOffset();
        r[(f - from) * 2 + 1] = fragments.get(f).length();
      }
      ranges[k] = r;
    }
    return new FrameTable(tsuid, ranges, 0);
  }

  /** The Extended Offset Table (7FE0,0001), when present with one entry per frame. */
  private static long[] extendedOffsets(Attributes ds, int frames) {
    byte[] eot = ds.getBytes(Tag.ExtendedOffsetTable);
    if (eot == null || eot.length != frames * 8L) {
      return null;
    }
    long[] offsets = new long[frames];
    for (int i = 0; i < frames; i++) {
      offsets[i] = ByteUtil.int64(eot, i * 8);
    }
    return offsets;
  }

  /** Indices of the fragments an offset table points at; null when one points between them. */
  private static List<Integer> startsAt(List<Fragment> fragments, long[] offsets) {
    List<Integer> starts = new ArrayList<>(offsets.length);
    int f = 0;
    for (long offset : offsets) {
      while (f < fragments.size() && fragments.get(f).itemOffset() < offset) {
        f++;
      }
      if (f == fragments.size() || fragments.get(f).itemOffset() != offset) {
        return null;
      }
      starts.add(f);
    }
    return starts;
  }

  /**
   * Without an offset table: one frame takes all fragments, as many fragments as frames are one
   * each, else a frame starts at each fragment that starts a codestream (JPEG SOI, JPEG 2000 SOC or
   * JP2 signature box).
   */
  private static List<Integer> startsWithoutTable(List<Fragment> fragments, int frames) {
    List<Integer> starts = new ArrayList<>();
    if (frames == 1 || fragments.size() == frames) {
      for (int i = 0; i < frames; i++) {
        starts.add(i);
      }
      return starts;
    }
    for (int i = 0; i < fragments.size(); i++) {
      if (startsCodestream(fragments.get(i).head())) {
        starts.add(i);
      }
    }
    return starts;
  }

  private static boolean startsCodestream(byte[] h) {
    if (h.length >= 2
        && (h[0] & 0xFF) == 0xFF
        && ((h[1] & 0xFF) == 0xD8 || (h[1] & 0xFF) == 0x4F)) {
      return true;
    }
    return h.length >= 8 && h[3] == 0x0C && h[4] == 'j' && h[5] == 'P' && h[6] == ' ';
  }

  private static byte[] readItem(InputStream in, long pos) throws IOException {
    byte[] item = in.readNBytes(8);
    if (item.length < 8) {
      throw invalid("the encapsulated Pixel Data ends at byte " + pos + " without its delimiter");
    }
    return item;
  }

  /** Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (0009). */
  private static boolean isPixelData(int element) {
    return element == 0x0010 || element == 0x0008 || element == 0x0009;
  }

  private static ProblemException invalid(String detail) {
    // Ingest refuses such pixel data now, but copies stored before may have it: the request cannot
    // be served from them (406, as other frames that cannot be cut), the node itself is fine.
    return new ProblemException(
        ErrorCode.NOT_ACCEPTABLE,
        "the frames of this stored instance cannot be cut ("
            + detail
            + "); retrieve the whole instance instead");
  }

  private static int u16(byte[] b, int off, boolean bigEndian) {
    return bigEndian ? ByteUtil.uint16BE(b, off) : ByteUtil.uint16(b, off);
  }

  private static long u32(byte[] b, int off, boolean bigEndian) {
    return (bigEndian ? ByteUtil.int32BE(b, off) : ByteUtil.int32(b, off)) & 0xFFFFFFFFL;
  }
}
