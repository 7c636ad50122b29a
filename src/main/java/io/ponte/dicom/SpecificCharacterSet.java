package io.ponte.dicom;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes and encodes text values with a data set's Specific Character Set (0008,0005), PS3.5 6.1.
 *
 * <p>Supported: the default repertoire, the single-byte ISO 8859 sets (ISO_IR 100, 101, 109, 110,
 * 144, 127, 126, 138, 148, 203, 166), ISO_IR 13, ISO_IR 192 (UTF-8), GB18030, GBK, and their ISO
 * 2022 forms with code extension (escape sequences switch G0/G1 sets inside a value, including JIS
 * X 0208, KS X 1001, GB2312). An unknown term never fails a read: its values are decoded as
 * ISO-8859-1 (a superset of ASCII) and a warning is recorded in {@link #warnings()}. Bytes outside
 * ASCII under the default repertoire are likewise decoded as ISO-8859-1 instead of being rejected,
 * since such files are common in the wild.
 */
public final class SpecificCharacterSet {

  private static final byte ESC = 0x1B;
  private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

  /** The default repertoire (no (0008,0005)). */
  public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0]);

  private static final Map<String, SpecificCharacterSet> CACHE = new ConcurrentHashMap<>();

  private final String[] codes;
  private final Charset primary;
  private final boolean iso2022;
  private final List<String> warnings;

  private SpecificCharacterSet(String[] codes) {
    this.codes = codes;
    List<String> w = new ArrayList<>();
    Charset first = null;
    boolean ext = false;
    for (int i = 0; i < codes.length; i++) {
      String code = codes[i] == null ? "" : codes[i].trim();
      if (code.startsWith("ISO 2022")) {
        ext = true;
      }
      Charset cs = charsetOf(code, w);
      if (i == 0) {
        first = cs;
      }
    }
    this.primary = first == null ? LATIN1 : first;
    this.iso2022 = ext || codes.length > 1;
    this.warnings = Collections.unmodifiableList(w);
  }

  /** The character set for the values of (0008,0005); DEFAULT for none or only empty values. */
  public static SpecificCharacterSet valueOf(String... codes) {
    if (codes == null
        || codes.length == 0
        || (codes.length == 1 && (codes[0] == null || codes[0].isBlank()))) {
      return DEFAULT;
    }
    String key = String.join("\\", codes);
    SpecificCharacterSet cs = CACHE.get(key);
    if (cs == null) {
      cs = new SpecificCharacterSet(codes.clone());
      if (CACHE.size() < 256) { // bounded: terms come from untrusted files
        CACHE.put(key, cs);
      }
    }
    return cs;
  }

  /** The defined terms this set was made from. */
  public String[] codes() {
    return codes.clone();
  }

  /**
   * Problems met while resolving the terms (unknown term, charset missing from the JVM); empty when
   * none.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** True for ISO_IR 192. */
  public boolean isUTF8() {
    return primary == StandardCharsets.UTF_8;
  }

  /** The charset of the first term (ISO-8859-1 for the default repertoire). */
  public Charset charset() {
    return primary;
  }

  private static Charset charsetOf(String code, List<String> warnings) {
    String name;
    switch (code) {
      case "":
      case "ISO_IR 6":
      case "ISO 2022 IR 6":
        name = "ISO-8859-1";
        break;
      case "ISO_IR 100":
      case "ISO 2022 IR 100":
        name = "ISO-8859-1";
        break;
      case "ISO_IR 101":
      case "ISO 2022 IR 101":
        name = "ISO-8859-2";
        break;
      case "ISO_IR 109":
      case "ISO 2022 IR 109":
        name = "ISO-8859-3";
        break;
      case "ISO_IR 110":
      case "ISO 2022 IR 110":
        name = "ISO-8859-4";
        break;
      case "ISO_IR 144":
      case "ISO 2022 IR 144":
        name = "ISO-8859-5";
        break;
      case "ISO_IR 127":
      case "ISO 2022 IR 127":
        name = "ISO-8859-6";
        break;
      case "ISO_IR 126":
      case "ISO 2022 IR 126":
        name = "ISO-8859-7";
        break;
      case "ISO_IR 138":
      case "ISO 2022 IR 138":
        name = "ISO-8859-8";
        break;
      case "ISO_IR 148":
      case "ISO 2022 IR 148":
        name = "ISO-8859-9";
        break;
      case "ISO_IR 203":
      case "ISO 2022 IR 203":
        name = "ISO-8859-15";
        break;
      case "ISO_IR 166":
      case "ISO 2022 IR 166":
        name = "TIS-620";
        break;
      case "ISO_IR 13":
      case "ISO 2022 IR 13":
        name = "JIS_X0201";
        break;
      case "ISO 2022 IR 87":
      case "ISO 2022 IR 159":
        name = "ISO-2022-JP";
        break;
      case "ISO 2022 IR 149":
        name = "EUC-KR";
        break;
      case "ISO 2022 IR 58":
        name = "GB2312";
        break;
      case "ISO_IR 192":
        name = "UTF-8";
        break;
      case "GB18030":
        name = "GB18030";
        break;
      case "GBK":
        name = "GBK";
        break;
      default:
        warnings.add(
            "unknown Specific Character Set \"" + code + "\": values decoded as ISO-8859-1");
        return LATIN1;
    }
    return forName(name, code, warnings);
  }

  private static Charset forName(String name, String code, List<String> warnings) {
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      if (warnings != null) {
        warnings.add(
            "charset "
                + name
                + " for \""
                + code
                + "\" not available: values decoded as ISO-8859-1");
      }
      return LATIN1;
    }
  }

  /** Decodes a value's bytes; never throws (malformed input becomes replacement characters). */
  public String decode(byte[] b, int off, int len) {
    if (iso2022 && indexOf(b, off, len, ESC) >= 0) {
      return decodeIso2022(b, off, len);
    }
    return new String(b, off, len, primary);
  }

  /** Encodes text for a value; characters the set cannot represent become '?'. */
  public byte[] encode(String s) {
    if (primary == LATIN1 || primary == StandardCharsets.UTF_8) {
      return s.getBytes(primary);
    }
    try {
      CharsetEncoder enc =
          primary
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
      ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException | UnsupportedOperationException e) {
      return s.getBytes(LATIN1);
    }
  }

  private static int indexOf(byte[] b, int off, int len, byte v) {
    for (int i = off, end = off + len; i < end; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /**
   * ISO 2022 code extension: escape sequences designate the G0 set (bytes below 0x80) and the G1
   * set (bytes from 0x80). Each run of bytes between escapes is decoded with the designated set.
   */
  private String decodeIso2022(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len);
    Charset g0 = StandardCharsets.US_ASCII;
    byte[] g0Escape =
        null; // for JIS X 0208/0212: decode with ISO-2022-JP after re-adding the escape
    Charset g1 = primary;
    int end = off + len;
    int i = off;
    while (i < end) {
      if (b[i] == ESC) {
        int n = escapeLength(b, i, end);
        if (n == 0) {
          sb.append('\uFFFD');
          i++;
          continue;
        }
        String seq = new String(b, i + 1, n - 1, LATIN1);
        switch (seq) {
          case "(B":
          case "(J":
            g0 = StandardCharsets.US_ASCII;
            g0Escape = null;
            break;
          case "$B":
          case "$@":
          case "$(D":
            g0 = forName("ISO-2022-JP-2", seq, null);
            g0Escape = java.util.Arrays.copyOfRange(b, i, i + n);
            break;
          case ")I":
            g1 = forName("JIS_X0201", seq, null);
            break;
          case "-A":
            g1 = LATIN1;
            break;
          case "-B":
            g1 = forName("ISO-8859-2", seq, null);
            break;
          case "-C":
            g1 = forName("ISO-8859-3", seq, null);
            break;
          case "-D":
            g1 = forName("ISO-8859-4", seq, null);
            break;
          case "-L":
            g1 = forName("ISO-8859-5", seq, null);
            break;
          case "-G":
            g1 = forName("ISO-8859-6", seq, null);
            break;
          case "-F":
            g1 = forName("ISO-8859-7", seq, null);
            break;
          case "-H":
            g1 = forName("ISO-8859-8", seq, null);
            break;
          case "-M":
            g1 = forName("ISO-8859-9", seq, null);
            break;
          case "-T":
            g1 = forName("TIS-620", seq, null);
            break;
          case "-b":
            g1 = forName("ISO-8859-15", seq, null);
            break;
          case "$)C":
            g1 = forName("EUC-KR", seq, null);
            break;
          case "$)A":
            g1 = forName("GB2312", seq, null);
            break;
          default:
            break; // unknown designation: keep the current sets
        }
        i += n;
        continue;
      }
      int start = i;
      boolean high = (b[i] & 0x80) != 0;
      while (i < end && b[i] != ESC && ((b[i] & 0x80) != 0) == high) {
        i++;
      }
      if (high) {
        sb.append(new String(b, start, i - start, g1));
      } else if (g0Escape != null) {
        byte[] seg = new byte[g0Escape.length + i - start];
        System.arraycopy(g0Escape, 0, seg, 0, g0Escape.length);
        System.arraycopy(b, start, seg, g0Escape.length, i - start);
        sb.append(new String(seg, g0));
      } else {
        sb.append(new String(b, start, i - start, LATIN1));
      }
    }
    return sb.toString();
  }

  /**
   * Length of the escape sequence at i (ESC, intermediates 0x20-0x2F, one final 0x30-0x7E), 0 if
   * malformed.
   */
  private static int escapeLength(byte[] b, int i, int end) {
    int j = i + 1;
    while (j < end && b[j] >= 0x20 && b[j] <= 0x2F) {
      j++;
    }
    if (j < end && b[j] >= 0x30 && b[j] <= 0x7E && j > i + 1) {
      return j - i + 1;
    }
    return 0;
  }

  @Override
  public String toString() {
    return codes.length == 0 ? "default repertoire" : String.join("\\", codes);
  }
}
