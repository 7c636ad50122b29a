package io.ponte.dicom;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Streaming reader of DICOM Part 10 files and bare data sets (PS3.5, PS3.10).
 *
 * <p>It detects a 128-byte preamble + "DICM" + File Meta Information, or a legacy file without meta
 * (guessing implicit/explicit VR from the first element). It reads implicit VR LE, explicit VR
 * LE/BE and deflated explicit VR LE; sequences and items of defined or undefined length up to
 * {@link #MAX_DEPTH} levels; encapsulated pixel data as {@link Fragments}. Every problem is a
 * {@link DicomParseException} with the byte offset. It never allocates a buffer by an untrusted
 * length beyond what the stream actually delivers (values are read in growing chunks), holds no
 * more than its {@link DicomReadLimits} allow (top-level pixel data aside: Pixel Data, Float and
 * Double Float Pixel Data, where {@link #readDatasetUntilPixelData()} stops), and every loop
 * consumes input, so it cannot spin. A transfer syntax it does not know is refused, not guessed:
 * its data set could be encoded in any way.
 *
 * <p>Offsets count bytes of the decoded stream: for a deflated data set, bytes after the meta group
 * are counted after inflation.
 */
public class DicomInputStream implements Closeable {

  /** Deepest sequence nesting accepted; beyond it the input is refused as absurd. */
  public static final int MAX_DEPTH = 64;

  private static final int BUFFER_SIZE = 8 * 1024;
  private static final int FIRST_CHUNK = 64 * 1024;
  private static final int MAX_OUT_OF_ORDER = 10_000;
  private static final int SKIP_CHUNK = 64 * 1024;

  private InputStream in;
  private final DicomReadLimits limits;
  private long held;
  private byte[] buf = new byte[BUFFER_SIZE];
  private byte[] skipBuffer;
  private int pos;
  private int limit;
  private long bufStart;
  private boolean eof;
  private int outOfOrder;

  private boolean explicitVR = true;
  private boolean bigEndian;
  private String transferSyntax;
  private Attributes fileMeta;
  private Attributes dataset;
  private boolean datasetComplete;
  private int stoppedAt;
  private final List<String> warnings = new ArrayList<>(2);

  /**
   * Reads the preamble and File Meta Information if present, and decides the data set's encoding.
   */
  public DicomInputStream(InputStream in) throws IOException {
    this(in, DicomReadLimits.defaults());
  }

  /** As {@link #DicomInputStream(InputStream)}, holding no more than {@code limits} allow. */
  public DicomInputStream(InputStream in, DicomReadLimits limits) throws IOException {
    this.in = in;
    this.limits = limits;
    detect();
  }

  private DicomInputStream(InputStream in, String transferSyntaxUid, DicomReadLimits limits)
      throws IOException {
    this.in = in;
    this.limits = limits;
    useTransferSyntax(transferSyntaxUid);
  }

  /**
   * A reader for a bare data set (no preamble, no meta) in the given transfer syntax, as in DIMSE.
   */
  public static DicomInputStream ofDataset(InputStream in, String transferSyntaxUid)
      throws IOException {
    return ofDataset(in, transferSyntaxUid, DicomReadLimits.defaults());
  }

  /** As {@link #ofDataset(InputStream, String)}, holding no more than {@code limits} allow. */
  public static DicomInputStream ofDataset(
      InputStream in, String transferSyntaxUid, DicomReadLimits limits) throws IOException {
    if (transferSyntaxUid == null) {
      throw new IllegalArgumentException("transfer syntax UID required");
    }
    return new DicomInputStream(in, transferSyntaxUid, limits);
  }

  /** The File Meta Information group, or null when the input had none. */
  public Attributes readFileMetaInformation() {
    return fileMeta;
  }

  /** The transfer syntax of the data set (from the meta group, detected, or given). */
  public String transferSyntax() {
    return transferSyntax;
  }

  /** Notes about tolerated irregularities (missing transfer syntax, guessed encoding...). */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  /** Bytes consumed so far from the (decoded) stream. */
  public long position() {
    return bufStart + pos;
  }

  /**
   * Reads the whole data set (or the rest of it, after {@link #readDatasetUntilPixelData()}), up to
   * the end of the stream. Trailing zero bytes after the last element are tolerated as padding.
   */
  public Attributes readDataset() throws IOException {
    if (dataset == null) {
      dataset = new Attributes(64);
    }
    if (!datasetComplete) {
      readElements(dataset, -1, 0, false);
      datasetComplete = true;
    }
    return dataset;
  }

  /**
   * Reads the data set up to, not including, the first top-level pixel data element: Pixel Data
   * (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009), all exempt
   * from the limits, so none may be read into memory here. The stream is left at the start of that
   * element. The returned object is the one {@link #readDataset()} then completes.
   */
  public Attributes readDatasetUntilPixelData() throws IOException {
    if (dataset == null) {
      dataset = new Attributes(64);
    }
    if (!datasetComplete) {
      stoppedAt = 0;
      if (readElements(dataset, -1, 0, true)) {
        datasetComplete = true;
      }
    }
    return dataset;
  }

  /**
   * The tag of the top-level pixel data element (Pixel Data, Float or Double Float Pixel Data)
   * {@link #readDatasetUntilPixelData()} stopped at, or 0 when it reached the end of the data set.
   */
  public int pixelDataTag() {
    return stoppedAt;
  }

  /** Receives a native pixel data element as {@link #readPixelData} reads it. */
  public interface PixelDataSink {
    /** The element's tag, VR and value length (even; bytes follow in the stream's byte order). */
    void header(int tag, VR vr, long length) throws IOException;

    /** The next bytes of the value; {@code b} is reused after the call returns. */
    void value(byte[] b, int off, int len) throws IOException;
  }

  /**
   * Reads the native (defined-length) pixel data element {@link #readDatasetUntilPixelData()}
   * stopped at, handing its value to {@code sink} a buffer at a time, none of it held; then {@link
   * #readDatasetUntilPixelData()} goes on with the elements after it. Encapsulated pixel data is
   * refused: it is copied as fragments, never re-encoded here.
   */
  public PixelDataElement readPixelData(PixelDataSink sink) throws IOException {
    if (datasetComplete || stoppedAt == 0) {
      throw new IllegalStateException("not stopped at pixel data");
    }
    Header h = readHeader(dataset);
    if (h.undefinedLength()) {
      throw new DicomParseException(
          h.start(), "encapsulated " + Tag.toString(h.tag()) + " is not native pixel data");
    }
    stoppedAt = 0;
    sink.header(h.tag(), h.vr(), h.length());
    long left = h.length();
    while (left > 0) {
      int avail = limit - pos;
      if (avail == 0) {
        if (fill(1) == 0) {
          throw new DicomParseException(
              h.start(),
              "value of "
                  + Tag.toString(h.tag())
                  + " truncated: length "
                  + h.length()
                  + " but only "
                  + (h.length() - left)
                  + " bytes left");
        }
        continue;
      }
      int k = (int) Math.min(avail, left);
      sink.value(buf, pos, k);
      pos += k;
      left -= k;
    }
    return new PixelDataElement(h.tag(), h.vr(), h.start(), h.length(), 0);
  }

  /**
   * Reads the whole data set without holding any top-level pixel data: every other element (also
   * those after the pixel data, such as a trailing Digital Signatures Sequence) goes into the data
   * set within the limits, while a pixel data value is read to its end and dropped, an encapsulated
   * one item by item up to its delimiter. So a data set cut short or corrupt anywhere, also inside
   * a deflated stream, fails here, holding only the header. Returns the first pixel data element,
   * or null when there is none.
   */
  public PixelDataElement readRestSkippingPixelData() throws IOException {
    readDatasetUntilPixelData();
    PixelDataElement first = null;
    while (!datasetComplete) {
      PixelDataElement skipped = skipPixelData();
      if (first == null) {
        first = skipped;
      }
      if (readElements(dataset, -1, 0, true)) {
        datasetComplete = true;
      }
    }
    return first;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  // ---------------------------------------------------------------- detection

  private void detect() throws IOException {
    fill(132);
    int avail = limit - pos;
    if (avail == 0) {
      throw new DicomParseException(0, "empty input: not a DICOM file");
    }
    if (avail >= 132 && buf[128] == 'D' && buf[129] == 'I' && buf[130] == 'C' && buf[131] == 'M') {
      pos = 132;
      readMeta();
      return;
    }
    if (avail >= 4 && buf[0] == 'D' && buf[1] == 'I' && buf[2] == 'C' && buf[3] == 'M') {
      warnings.add("no preamble before DICM");
      pos = 4;
      readMeta();
      return;
    }
    if (avail >= 8
        && ByteUtil.uint16(buf, 0) == 0x0002
        && VR.of(ByteUtil.uint16BE(buf, 4)) != null) {
      warnings.add("File Meta Information without preamble and DICM");
      readMeta();
      return;
    }
    String guessed = guessEncoding();
    if (guessed == null) {
      if (avail >= 132) {
        throw new DicomParseException(
            128,
            "no DICM prefix after the 128-byte preamble and no data set"
                + " at the start: not a DICOM file");
      }
      throw new DicomParseException(
          0, "no DICM prefix and no recognisable data set: not a DICOM file");
    }
    warnings.add("no File Meta Information: data set read as " + UID.nameOf(guessed));
    useTransferSyntax(guessed);
  }

  /**
   * Guesses the encoding of a data set starting at {@code pos} from its first element: a valid VR
   * after the tag means explicit VR (little or big endian, by which reading gives a plausible
   * group); otherwise implicit VR little endian if the tag looks like a data set tag. Null when
   * nothing fits.
   */
  private String guessEncoding() throws IOException {
    fill(8);
    if (limit - pos < 8) {
      return null;
    }
    int groupLE = ByteUtil.uint16(buf, pos);
    int groupBE = ByteUtil.uint16BE(buf, pos);
    VR vr = VR.of(ByteUtil.uint16BE(buf, pos + 4));
    if (vr != null) {
      if (plausibleGroup(groupLE) && (!plausibleGroup(groupBE) || groupLE <= groupBE)) {
        return UID.ExplicitVRLittleEndian;
      }
      if (plausibleGroup(groupBE)) {
        return UID.ExplicitVRBigEndian;
      }
    }
    if (plausibleGroup(groupLE)) {
      return UID.ImplicitVRLittleEndian;
    }
    return null;
  }

  private static boolean plausibleGroup(int group) {
    // Group 0000 would be all-zero preamble bytes; FFFE/FFFF are never a first element.
    return group != 0x0000 && group < 0xFFFE;
  }

  private void readMeta() throws IOException {
    Attributes meta = new Attributes(12);
    explicitVR = true;
    bigEndian = false;
    long metaEnd = -1;
    while (true) {
      // The group length is trusted only to find where a deflated data set starts; otherwise the
      // group number decides, since wrong group lengths are common in the wild.
      if (metaEnd >= 0
          && position() >= metaEnd
          && UID.isDeflated(meta.getString(Tag.TransferSyntaxUID))) {
        break;
      }
      fill(2);
      if (limit - pos < 2 || ByteUtil.uint16(buf, pos) != 0x0002) {
        break;
      }
      readElement(meta, -1, 0);
      if (meta.size() == 1 && meta.tagAt(0) == Tag.FileMetaInformationGroupLength) {
        byte[] gl = meta.getBytes(Tag.FileMetaInformationGroupLength);
        if (gl != null && gl.length == 4) {
          metaEnd = position() + (ByteUtil.int32(gl, 0) & 0xFFFFFFFFL);
        }
      }
    }
    if (metaEnd >= 0 && position() != metaEnd) {
      warnings.add(
          "File Meta Information Group Length is " + (metaEnd - position()) + " bytes off");
    }
    fileMeta = meta;
    String ts = meta.getString(Tag.TransferSyntaxUID);
    if (ts == null) {
      String guessed = guessEncoding();
      if (guessed == null) {
        guessed = UID.ExplicitVRLittleEndian;
      }
      warnings.add(
          "File Meta Information has no Transfer Syntax UID: data set read as "
              + UID.nameOf(guessed));
      useTransferSyntax(guessed);
      return;
    }
    useTransferSyntax(ts);
  }

  private void useTransferSyntax(String ts) throws IOException {
    if (!UID.isTransferSyntax(ts)) {
      throw new UnknownTransferSyntaxException(position(), ts);
    }
    transferSyntax = ts;
    explicitVR = !UID.isImplicitVR(ts);
    bigEndian = UID.isBigEndian(ts);
    if (UID.isDeflated(ts)) {
      startInflating();
    } else if (!UID.isNative(ts)
        && fill(8) >= 8
        && VR.of(ByteUtil.uint16BE(buf, pos + 4)) == null
        && ByteUtil.uint16(buf, pos) >= 0x0008) {
      // Some writers put implicit VR data sets under a compressed transfer syntax.
      warnings.add("data set under " + ts + " is implicit VR: read as such");
      explicitVR = false;
    }
  }

  private void startInflating() throws IOException {
    fill(2);
    boolean zlibHeader =
        limit - pos >= 2
            && (buf[pos] & 0x0F) == 8
            && ((buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF)) % 31 == 0;
    if (zlibHeader) {
      warnings.add("deflated data set has a zlib header (should be raw deflate)");
    }
    InputStream rest =
        new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOfRange(buf, pos, limit)), in);
    in = new InflaterInputStream(rest, new Inflater(!zlibHeader), 16 * 1024);
    bufStart += pos;
    pos = 0;
    limit = 0;
  }

  // ---------------------------------------------------------------- buffer

  /**
   * Tries to have {@code n} bytes buffered at {@code pos}; returns how many are (less only at end
   * of stream).
   */
  private int fill(int n) throws IOException {
    int avail = limit - pos;
    if (avail >= n || eof) {
      return avail;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, avail);
      bufStart += pos;
      pos = 0;
      limit = avail;
    }
    while (limit < n) {
      int r = read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
        break;
      }
      limit += r;
    }
    return limit - pos;
  }

  private int read(byte[] b, int off, int len) throws IOException {
    try {
      // InputStream.read blocks until it has a byte; a stream breaking that contract must not make
      // us spin.
      for (int zeroReads = 0; zeroReads < 1000; zeroReads++) {
        int r = in.read(b, off, len);
        if (r != 0) {
          return r;
        }
      }
      throw new DicomParseException(position(), "input stream keeps returning no data");
    } catch (ZipException e) {
      throw new DicomParseException(position(), "corrupt deflated data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new DicomParseException(position(), "deflated data ends prematurely", e);
    }
  }

  private void require(int n, String what) throws IOException {
    if (fill(n) < n) {
      throw new DicomParseException(position(), "truncated: end of data inside " + what);
    }
  }

  private int u16(int off) {
    return bigEndian ? ByteUtil.uint16BE(buf, off) : ByteUtil.uint16(buf, off);
  }

  private int i32(int off) {
    return bigEndian ? ByteUtil.int32BE(buf, off) : ByteUtil.int32(buf, off);
  }

  /**
   * Reads a value of {@code len} bytes. Small values come from the buffer; large ones are read in
   * chunks that grow with what the stream delivers, so an absurd length on a short stream fails at
   * its end instead of allocating the length up front.
   */
  private byte[] readValue(long len, int tag) throws IOException {
    if (len > Integer.MAX_VALUE - 16) {
      throw new DicomParseException(
          position(),
          "value length "
              + len
              + " of "
              + Tag.toString(tag)
              + " exceeds what this reader holds in memory");
    }
    int n = (int) len;
    int avail = limit - pos;
    if (n <= avail) {
      byte[] v = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return v;
    }
    long start = position();
    int hint = 0;
    try {
      hint = in.available();
    } catch (IOException ignored) {
      // available() is only a hint
    }
    int cap = (int) Math.min(n, Math.max(FIRST_CHUNK, (long) avail + Math.max(hint, 0)));
    byte[] v = new byte[cap];
    System.arraycopy(buf, pos, v, 0, avail);
    int got = avail;
    bufStart += limit;
    pos = 0;
    limit = 0;
    while (got < n) {
      if (got == v.length) {
        v = Arrays.copyOf(v, (int) Math.min(n, (long) v.length * 2));
      }
      int r = eof ? -1 : read(v, got, v.length - got);
      if (r < 0) {
        eof = true;
        bufStart += got - avail;
        throw new DicomParseException(
            start,
            "value of "
                + Tag.toString(tag)
                + " truncated: length "
                + len
                + " but only "
                + got
                + " bytes left");
      }
      got += r;
    }
    bufStart += n - avail;
    return v;
  }

  // ---------------------------------------------------------------- elements

  /**
   * Reads elements into {@code into} until {@code end} (defined-length item), the item delimiter
   * ({@code end == -2}), or the end of the stream ({@code end == -1}). Returns false when it
   * stopped before top-level pixel data.
   */
  private boolean readElements(Attributes into, long end, int depth, boolean stopAtPixelData)
      throws IOException {
    while (true) {
      if (end >= 0) {
        long p = position();
        if (p == end) {
          return true;
        }
        if (p > end) {
          throw new DicomParseException(p, "element crosses the end of its item at byte " + end);
        }
      }
      int avail = fill(8);
      if (avail == 0) {
        if (end == -1) {
          return true;
        }
        throw new DicomParseException(position(), "truncated: end of data inside an item");
      }
      if (end == -1 && isTrailingZeros()) {
        return true;
      }
      if (avail < 4) {
        throw new DicomParseException(
            position(), "truncated: end of data inside an element header");
      }
      int tag = u16(pos) << 16 | u16(pos + 2);
      if (tag == Tag.ItemDelimitationItem && end == -2) {
        require(8, "an item delimiter");
        pos += 8;
        return true;
      }
      if (stopAtPixelData && depth == 0 && isPixelData(tag)) {
        stoppedAt = tag;
        return false;
      }
      readElement(into, end, depth);
    }
  }

  /**
   * Trailing padding some writers add: eight zero bytes where an element should start (no valid
   * element is all zeros) mean padding, and then everything left must be zero.
   */
  private boolean isTrailingZeros() throws IOException {
    if (limit - pos < 8) {
      return false;
    }
    for (int i = pos; i < pos + 8; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] != 0) {
          throw new DicomParseException(bufStart + i, "data after zero padding at the end");
        }
      }
      pos = limit;
      if (fill(1) == 0) {
        return true;
      }
    }
  }

  /** An element's header: tag, VR and value length (0xFFFFFFFF for undefined). */
  private record Header(long start, int tag, VR vr, long length) {
    boolean undefinedLength() {
      return length == 0xFFFFFFFFL;
    }
  }

  private void readElement(Attributes into, long end, int depth) throws IOException {
    Header h = readHeader(into);
    boolean topLevelPixelData = depth == 0 && isPixelData(h.tag());
    if (!topLevelPixelData) {
      hold(h.vr() == VR.SQ || h.undefinedLength() ? 0 : h.length(), h.tag(), h.start());
    }
    if (!h.undefinedLength() && end >= 0 && position() + h.length() > end) {
      throw new DicomParseException(
          h.start(),
          "value length "
              + h.length()
              + " of "
              + Tag.toString(h.tag())
              + " goes beyond the end of its item at byte "
              + end);
    }
    if (h.vr() == VR.SQ) {
      long seqEnd = h.undefinedLength() ? -1 : position() + h.length();
      into.append(h.tag(), VR.SQ, readSequence(into, seqEnd, depth, h.start(), h.tag()));
    } else if (h.undefinedLength()) {
      readUndefinedLength(into, depth, h, topLevelPixelData);
    } else if (!explicitVR && h.vr() == VR.UN && h.length() >= 8 && startsWithItem()) {
      // An unknown (private) element in implicit VR whose value starts with an item tag is a
      // sequence whose VR the reader cannot know; parse it as one, keeping the bytes if that fails.
      byte[] raw = readValue(h.length(), h.tag());
      Sequence seq = parseEmbeddedSequence(raw, into, depth, h.tag());
      into.append(h.tag(), seq != null ? VR.SQ : VR.UN, seq != null ? seq : raw);
    } else {
      readPlainValue(into, h);
    }
  }

  /**
   * LUT and palette descriptors stay US with signed pixels: their first and third values are always
   * unsigned (PS3.3 C.11.1.1.1, C.7.6.3.1.5); only the second follows Pixel Representation.
   */
  private static boolean isLutDescriptor(int tag) {
    return tag == 0x00283002 // LUT Descriptor
        || (tag >= 0x00281101 && tag <= 0x00281103) // Red, Green, Blue Palette Color LUT Descriptor
        || (tag >= 0x00281111 && tag <= 0x00281113); // Large ... Palette Color LUT Descriptor
  }

  private Header readHeader(Attributes into) throws IOException {
    long start = position();
    require(8, "an element header");
    int tag = u16(pos) << 16 | u16(pos + 2);
    if (into.isOutOfOrder(tag) && ++outOfOrder > MAX_OUT_OF_ORDER) {
      // Each out-of-order element costs an insertion; bound the quadratic worst case of hostile
      // input.
      throw new DicomParseException(
          start, "more than " + MAX_OUT_OF_ORDER + " elements out of tag order");
    }
    if ((tag >>> 16) == 0xFFFE) {
      throw new DicomParseException(
          start, "unexpected " + Tag.toString(tag) + " outside a sequence");
    }
    if (!explicitVR) {
      VR vr = ElementDictionary.vrOf(tag);
      if (vr == VR.US
          && ElementDictionary.isUsOrSs(tag)
          && !isLutDescriptor(tag)
          && signedPixels(into)) {
        vr = VR.SS;
      }
      long len = ByteUtil.int32(buf, pos + 4) & 0xFFFFFFFFL;
      pos += 8;
      return new Header(start, tag, vr, len);
    }
    int code = ByteUtil.uint16BE(buf, pos + 4);
    VR vr = VR.of(code);
    if (vr == null) {
      throw new DicomParseException(
          start + 4, "bad VR " + printable(code) + " for " + Tag.toString(tag));
    }
    if (vr.hasLongHeader()) {
      require(12, "an element header");
      long len = i32(pos + 8) & 0xFFFFFFFFL;
      pos += 12;
      return new Header(start, tag, vr, len);
    }
    long len = u16(pos + 6);
    pos += 8;
    return new Header(start, tag, vr, len);
  }

  /** Encapsulated pixel data, or an implicit VR sequence under UN (CP-246); nothing else. */
  private void readUndefinedLength(Attributes into, int depth, Header h, boolean topLevelPixelData)
      throws IOException {
    int tag = h.tag();
    if (isPixelData(tag)) {
      into.append(tag, h.vr(), readFragments(h.vr(), !topLevelPixelData));
      return;
    }
    if (h.vr() != VR.UN && explicitVR) {
      throw new DicomParseException(
          h.start(),
          "undefined length for " + Tag.toString(tag) + " " + h.vr() + " which is not a sequence");
    }
    // CP-246: an undefined-length UN (or unknown implicit element) is a sequence in implicit VR LE.
    boolean savedExplicit = explicitVR;
    boolean savedBig = bigEndian;
    explicitVR = false;
    bigEndian = false;
    try {
      into.append(tag, VR.SQ, readSequence(into, -1, depth, h.start(), tag));
    } finally {
      explicitVR = savedExplicit;
      bigEndian = savedBig;
    }
  }

  private void readPlainValue(Attributes into, Header h) throws IOException {
    int tag = h.tag();
    VR vr = h.vr();
    int unit = vr == VR.AT ? 2 : vr.unitSize();
    if (unit > 1 && h.length() % unit != 0 && vr.isBinaryNumber()) {
      throw new DicomParseException(
          h.start(),
          "value length "
              + h.length()
              + " of "
              + Tag.toString(tag)
              + " "
              + vr
              + " is not a multiple of "
              + unit);
    }
    byte[] value = readValue(h.length(), tag);
    if (bigEndian && unit > 1) {
      ByteUtil.swap(value, 0, value.length, unit);
    }
    into.append(tag, vr, value);
    if (tag == Tag.SpecificCharacterSet && vr.isString()) {
      for (String w : into.specificCharacterSet().warnings()) {
        if (!warnings.contains(w)) {
          warnings.add(w);
        }
      }
    }
  }

  private static boolean isPixelData(int tag) {
    return tag == Tag.PixelData || tag == Tag.FloatPixelData || tag == Tag.DoubleFloatPixelData;
  }

  /**
   * Counts what the parsed data set will hold and refuses, before reading it, a value that would go
   * over the {@link DicomReadLimits}.
   */
  private void hold(long valueBytes, int tag, long at) throws DicomValueTooLongException {
    if (valueBytes > limits.maxValueBytes()) {
      throw new DicomValueTooLongException(
          at, tag, valueBytes, limits.maxValueBytes(), "for one value held in memory");
    }
    held += valueBytes + DicomReadLimits.ELEMENT_OVERHEAD;
    if (held > limits.maxHeaderBytes()) {
      throw new DicomValueTooLongException(
          at, tag, valueBytes, limits.maxHeaderBytes(), "for the data set held in memory");
    }
  }

  private boolean startsWithItem() throws IOException {
    return fill(4) >= 4
        && ByteUtil.uint16(buf, pos) == 0xFFFE
        && ByteUtil.uint16(buf, pos + 2) == 0xE000;
  }

  /** The items of an implicit VR LE sequence value held in memory, or null when it is not one. */
  private Sequence parseEmbeddedSequence(byte[] raw, Attributes parent, int depth, int tag) {
    try (DicomInputStream sub =
        new DicomInputStream(new ByteArrayInputStream(raw), UID.ImplicitVRLittleEndian, limits)) {
      Sequence seq = sub.readSequence(parent, raw.length, depth, 0, tag);
      return sub.position() == raw.length ? seq : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Pixel Representation 1 in this data set or the nearest enclosing one that has it. */
  private static boolean signedPixels(Attributes ds) {
    for (Attributes a = ds; a != null; a = a.parent()) {
      if (a.contains(Tag.PixelRepresentation)) {
        return a.getInt(Tag.PixelRepresentation, 0) == 1;
      }
    }
    return false;
  }

  private Sequence readSequence(Attributes parent, long end, int depth, long start, int tag)
      throws IOException {
    if (depth + 1 > MAX_DEPTH) {
      throw new DicomParseException(start, "sequences nested deeper than " + MAX_DEPTH + " levels");
    }
    Sequence seq = new Sequence(parent);
    while (true) {
      long p = position();
      if (end >= 0) {
        if (p == end) {
          return seq;
        }
        if (p > end) {
          throw new DicomParseException(p, "item crosses the end of sequence " + Tag.toString(tag));
        }
      }
      if (fill(8) < 8) {
        throw new DicomParseException(
            position(), "truncated: end of data inside sequence " + Tag.toString(tag));
      }
      int itemTag = u16(pos) << 16 | u16(pos + 2);
      long len = i32(pos + 4) & 0xFFFFFFFFL;
      pos += 8;
      if (itemTag == Tag.SequenceDelimitationItem) {
        if (end >= 0) {
          // Tolerated: some writers end defined-length sequences with a delimiter too.
          continue;
        }
        return seq;
      }
      if (itemTag != Tag.Item) {
        throw new DicomParseException(
            p,
            "expected an item in sequence "
                + Tag.toString(tag)
                + ", found "
                + Tag.toString(itemTag));
      }
      hold(0, Tag.Item, p);
      Attributes item = new Attributes(8);
      seq.add(item);
      if (len == 0xFFFFFFFFL) {
        readElements(item, -2, depth + 1, false);
      } else {
        long itemEnd = position() + len;
        if (end >= 0 && itemEnd > end) {
          throw new DicomParseException(
              p, "item length " + len + " goes beyond the end of sequence " + Tag.toString(tag));
        }
        readElements(item, itemEnd, depth + 1, false);
      }
    }
  }

  private PixelDataElement skipPixelData() throws IOException {
    stoppedAt = 0;
    Header h = readHeader(dataset);
    if (!h.undefinedLength()) {
      skip(h.length(), h.tag());
      return new PixelDataElement(h.tag(), h.vr(), h.start(), h.length(), 0);
    }
    int fragments = 0;
    for (long len = fragmentHeader(); len >= 0; len = fragmentHeader()) {
      skip(len, Tag.Item);
      fragments++;
    }
    return new PixelDataElement(h.tag(), h.vr(), h.start(), -1, fragments);
  }

  /** Reads past {@code n} bytes of the value of {@code tag}, holding none of them. */
  private void skip(long n, int tag) throws IOException {
    long start = position();
    long left = n;
    while (left > 0) {
      int avail = limit - pos;
      if (avail == 0 && left >= SKIP_CHUNK && !eof) {
        // Large values bypass the small buffer: read in big chunks, counted, then dropped.
        if (skipBuffer == null) {
          skipBuffer = new byte[SKIP_CHUNK];
        }
        bufStart += limit;
        pos = 0;
        limit = 0;
        int r = read(skipBuffer, 0, (int) Math.min(SKIP_CHUNK, left));
        if (r < 0) {
          eof = true;
        } else {
          bufStart += r;
          left -= r;
        }
        continue;
      }
      if (avail == 0) {
        if (fill(1) == 0) {
          throw new DicomParseException(
              start,
              "value of "
                  + Tag.toString(tag)
                  + " truncated: length "
                  + n
                  + " but only "
                  + (n - left)
                  + " bytes left");
        }
        continue;
      }
      int k = (int) Math.min(avail, left);
      pos += k;
      left -= k;
    }
  }

  /**
   * The next item header of encapsulated pixel data: the fragment's length, or -1 at the sequence
   * delimiter.
   */
  private long fragmentHeader() throws IOException {
    long p = position();
    require(8, "encapsulated pixel data");
    int itemTag = u16(pos) << 16 | u16(pos + 2);
    long len = i32(pos + 4) & 0xFFFFFFFFL;
    pos += 8;
    if (itemTag == Tag.SequenceDelimitationItem) {
      return -1;
    }
    if (itemTag != Tag.Item) {
      throw new DicomParseException(
          p, "expected a fragment item in encapsulated pixel data, found " + Tag.toString(itemTag));
    }
    if (len == 0xFFFFFFFFL) {
      throw new DicomParseException(p, "fragment item of undefined length");
    }
    return len;
  }

  /**
   * Encapsulated pixel data; its fragments count against the limits unless {@code bounded} is
   * false.
   */
  private Fragments readFragments(VR vr, boolean bounded) throws IOException {
    Fragments frags = new Fragments(vr);
    while (true) {
      long p = position();
      long len = fragmentHeader();
      if (len < 0) {
        return frags;
      }
      if (bounded) {
        hold(len, Tag.Item, p);
      }
      frags.add(readValue(len, Tag.Item));
    }
  }

  private static String printable(int code) {
    int a = code >> 8;
    int b = code & 0xFF;
    if (a >= 0x20 && a < 0x7F && b >= 0x20 && b < 0x7F) {
      return "\"" + (char) a + (char) b + "\"";
    }
    return String.format("0x%04X", code);
  }
}
