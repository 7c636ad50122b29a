package io.ponte.dicom;

/**
 * The value representations of PS3.5 6.2, with what the codec needs to encode and decode them: the
 * two-byte code, whether the explicit-VR header uses the long (12-byte) form, the padding byte, and
 * the byte size of a binary unit (used to swap big-endian values into the model's little-endian
 * form).
 */
public enum VR {
  AE(Kind.ASCII, false, 0x20, 0),
  AS(Kind.ASCII, false, 0x20, 0),
  AT(Kind.BINARY, false, 0, 2),
  CS(Kind.ASCII, false, 0x20, 0),
  DA(Kind.ASCII, false, 0x20, 0),
  DS(Kind.ASCII, false, 0x20, 0),
  DT(Kind.ASCII, false, 0x20, 0),
  FL(Kind.BINARY, false, 0, 4),
  FD(Kind.BINARY, false, 0, 8),
  IS(Kind.ASCII, false, 0x20, 0),
  LO(Kind.TEXT, false, 0x20, 0),
  LT(Kind.TEXT_SINGLE, false, 0x20, 0),
  OB(Kind.BULK, true, 0, 1),
  OD(Kind.BULK, true, 0, 8),
  OF(Kind.BULK, true, 0, 4),
  OL(Kind.BULK, true, 0, 4),
  OV(Kind.BULK, true, 0, 8),
  OW(Kind.BULK, true, 0, 2),
  PN(Kind.TEXT, false, 0x20, 0),
  SH(Kind.TEXT, false, 0x20, 0),
  SL(Kind.BINARY, false, 0, 4),
  SQ(Kind.SEQUENCE, true, 0, 0),
  SS(Kind.BINARY, false, 0, 2),
  ST(Kind.TEXT_SINGLE, false, 0x20, 0),
  SV(Kind.BINARY, true, 0, 8),
  TM(Kind.ASCII, false, 0x20, 0),
  UC(Kind.TEXT, true, 0x20, 0),
  UI(Kind.ASCII, false, 0x00, 0),
  UL(Kind.BINARY, false, 0, 4),
  UN(Kind.BULK, true, 0, 1),
  UR(Kind.ASCII_SINGLE, true, 0x20, 0),
  US(Kind.BINARY, false, 0, 2),
  UT(Kind.TEXT_SINGLE, true, 0x20, 0),
  UV(Kind.BINARY, true, 0, 8);

  /** How a value of this VR is held and decoded. */
  enum Kind {
    ASCII,
    ASCII_SINGLE,
    TEXT,
    TEXT_SINGLE,
    BINARY,
    BULK,
    SEQUENCE
  }

  private static final VR[] BY_CODE = new VR[26 * 26];

  static {
    for (VR vr : values()) {
      BY_CODE[index(vr.code)] = vr;
    }
  }

  /** The two ASCII characters as a big-endian 16-bit number, e.g. 0x4F42 for OB. */
  public final int code;

  final Kind kind;
  private final boolean longHeader;
  private final int paddingByte;
  private final int unitSize;

  VR(Kind kind, boolean longHeader, int paddingByte, int unitSize) {
    this.code = (name().charAt(0) << 8) | name().charAt(1);
    this.kind = kind;
    this.longHeader = longHeader;
    this.paddingByte = paddingByte;
    this.unitSize = unitSize;
  }

  private static int index(int code) {
    int a = ((code >> 8) & 0xFF) - 'A';
    int b = (code & 0xFF) - 'A';
    if (a < 0 || a >= 26 || b < 0 || b >= 26) {
      return -1;
    }
    return a * 26 + b;
  }

  /** The VR for a two-byte code (first character in the high byte), or null when it is not a VR. */
  public static VR of(int code) {
    int i = index(code);
    return i < 0 ? null : BY_CODE[i];
  }

  /** The VR named by a two-letter string, or null. */
  public static VR of(String code) {
    if (code == null || code.length() != 2) {
      return null;
    }
    return of((code.charAt(0) << 8) | code.charAt(1));
  }

  /**
   * True when explicit VR encoding uses 2 reserved bytes and a 4-byte length (OB, OW, SQ, UN, UT,
   * ...).
   */
  public boolean hasLongHeader() {
    return longHeader;
  }

  /** The byte appended to an odd-length value: space for strings, NUL for UI and binary data. */
  public int paddingByte() {
    return paddingByte;
  }

  /**
   * The size of one binary unit (2 for US/OW, 4 for UL/FL/OF, 8 for FD/OD...); 0 for strings and
   * SQ.
   */
  public int unitSize() {
    return unitSize;
  }

  /** True for string VRs (AE..UT) whose value is text. */
  public boolean isString() {
    return kind == Kind.ASCII
        || kind == Kind.ASCII_SINGLE
        || kind == Kind.TEXT
        || kind == Kind.TEXT_SINGLE;
  }

  /**
   * True for string VRs decoded with the data set's Specific Character Set (SH, LO, ST, LT, PN, UC,
   * UT).
   */
  public boolean usesSpecificCharacterSet() {
    return kind == Kind.TEXT || kind == Kind.TEXT_SINGLE;
  }

  /** True for string VRs that never hold several values separated by backslash (LT, ST, UT, UR). */
  public boolean isSingleValued() {
    return kind == Kind.TEXT_SINGLE || kind == Kind.ASCII_SINGLE;
  }

  /** True for fixed-size binary numbers (AT, FL, FD, SL, SS, SV, UL, US, UV). */
  public boolean isBinaryNumber() {
    return kind == Kind.BINARY;
  }

  /** True for the "other" byte/word VRs and UN, whose values may be bulk data. */
  public boolean isBulk() {
    return kind == Kind.BULK;
  }
}
