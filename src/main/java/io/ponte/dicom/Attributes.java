package io.ponte.dicom;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A DICOM data set: elements ordered by tag. Values are kept as read, undecoded: a {@code byte[]}
 * in little-endian order (big-endian input is swapped on read) including any padding, a {@link
 * Sequence}, or {@link Fragments} for encapsulated pixel data. Text is decoded only when asked for
 * ({@link #getString}), with the Specific Character Set of this data set or the nearest enclosing
 * one.
 *
 * <p>Not thread-safe; cheap to build in tag order (appending is O(1)).
 */
public final class Attributes implements Iterable<Attributes.Element> {

  /**
   * One element as seen by iteration. {@code value} is a byte[], {@link Sequence} or {@link
   * Fragments}.
   */
  public record Element(int tag, VR vr, Object value) {

    /** The value's bytes, or null for a sequence or fragments. */
    public byte[] bytes() {
      return value instanceof byte[] b ? b : null;
    }

    /** The items, or null when this is not a sequence. */
    public Sequence sequence() {
      return value instanceof Sequence s ? s : null;
    }

    /** The encapsulated fragments, or null. */
    public Fragments fragments() {
      return value instanceof Fragments f ? f : null;
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private int[] tags;
  private VR[] vrs;
  private Object[] values;
  private int size;
  private Attributes parent;
  private SpecificCharacterSet ownCharset;

  public Attributes() {
    this(16);
  }

  public Attributes(int initialCapacity) {
    int n = Math.max(initialCapacity, 4);
    tags = new int[n];
    vrs = new VR[n];
    values = new Object[n];
  }

  /** A deep copy of another data set (values are copied, not shared). */
  public Attributes(Attributes other) {
    this(other.size);
    addAll(other);
  }

  void setParent(Attributes parent) {
    this.parent = parent;
  }

  /** The data set whose sequence holds this item, or null for a top-level data set. */
  public Attributes parent() {
    return parent;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  // ---------------------------------------------------------------- lookup

  private int indexOf(int tag) {
    int n = size;
    if (n == 0) {
      return -1;
    }
    // Fast path: appending in order and asking for the last element are the common cases.
    int last = tags[n - 1];
    if (last == tag) {
      return n - 1;
    }
    if (Integer.compareUnsigned(last, tag) < 0) {
      return -(n + 1);
    }
    int lo = 0;
    int hi = n - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Integer.compareUnsigned(tags[mid], tag);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  public boolean contains(int tag) {
    return indexOf(tag) >= 0;
  }

  /** True when the element is present and has a non-empty value. */
  public boolean containsValue(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return false;
    }
    Object v = values[i];
    return v instanceof byte[] b
        ? b.length > 0
        : v instanceof Sequence s ? !s.isEmpty() : v != null;
  }

  /** The element's VR, or null when absent. */
  public VR getVR(int tag) {
    int i = indexOf(tag);
    return i < 0 ? null : vrs[i];
  }

  /**
   * The raw value: byte[] (little-endian, padded as read), {@link Sequence}, {@link Fragments};
   * null when absent.
   */
  public Object getValue(int tag) {
    int i = indexOf(tag);
    return i < 0 ? null : values[i];
  }

  /** The value bytes (little-endian for binary VRs), or null when absent or not a byte value. */
  public byte[] getBytes(int tag) {
    return getValue(tag) instanceof byte[] b ? b : null;
  }

  /** The items of a sequence, or null when absent or not a sequence. */
  public Sequence getSequence(int tag) {
    return getValue(tag) instanceof Sequence s ? s : null;
  }

  /** Encapsulated pixel data, or null. */
  public Fragments getFragments(int tag) {
    return getValue(tag) instanceof Fragments f ? f : null;
  }

  /** The tag at a position (0..size-1), in ascending tag order. */
  public int tagAt(int index) {
    checkIndex(index);
    return tags[index];
  }

  public VR vrAt(int index) {
    checkIndex(index);
    return vrs[index];
  }

  public Object valueAt(int index) {
    checkIndex(index);
    return values[index];
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
  }

  // ---------------------------------------------------------------- character set

  /**
   * The Specific Character Set in force here: this data set's (0008,0005), else the enclosing
   * one's.
   */
  public SpecificCharacterSet specificCharacterSet() {
    for (Attributes a = this; a != null; a = a.parent) {
      if (a.ownCharset != null) {
        return a.ownCharset;
      }
      int i = a.indexOf(Tag.SpecificCharacterSet);
      if (i >= 0 && a.values[i] instanceof byte[] b) {
        a.ownCharset = SpecificCharacterSet.valueOf(splitAscii(b));
        return a.ownCharset;
      }
    }
    return SpecificCharacterSet.DEFAULT;
  }

  private static String[] splitAscii(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    String[] parts = s.split("\\\\", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
    }
    return parts;
  }

  // ---------------------------------------------------------------- typed getters

  /**
   * The first value as text: strings decoded with the Specific Character Set, padding removed;
   * binary numbers formatted (US/UL unsigned, AT as "GGGGEEEE"). Null when absent, empty, or a
   * sequence/bulk value.
   */
  public String getString(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return null;
    }
    return stringValue(vrs[i], values[i], 0);
  }

  /** Like {@link #getString(int)} with a default for absent or empty values. */
  public String getString(int tag, String dflt) {
    String s = getString(tag);
    return s == null ? dflt : s;
  }

  /** The value at position {@code index} of a multi-valued element, or null. */
  public String getString(int tag, int index) {
    int i = indexOf(tag);
    return i < 0 ? null : stringValue(vrs[i], values[i], index);
  }

  /** All values as text (empty components as null); an empty array when absent or empty. */
  public String[] getStrings(int tag) {
    int i = indexOf(tag);
    if (i < 0 || !(values[i] instanceof byte[] b) || b.length == 0) {
      return new String[0];
    }
    VR vr = vrs[i];
    if (vr.isString()) {
      String all = decode(vr, b);
      if (vr.isSingleValued()) {
        String v = trim(vr, all);
        return new String[] {v.isEmpty() ? null : v};
      }
      String[] parts = all.split("\\\\", -1);
      for (int k = 0; k < parts.length; k++) {
        String v = trim(vr, parts[k]);
        parts[k] = v.isEmpty() ? null : v;
      }
      return parts;
    }
    if (vr.isBinaryNumber()) {
      int unit = vr == VR.AT ? 4 : vr.unitSize();
      String[] out = new String[b.length / unit];
      for (int k = 0; k < out.length; k++) {
        out[k] = formatBinary(vr, b, k * unit);
      }
      return out;
    }
    return new String[0];
  }

  private String stringValue(VR vr, Object value, int index) {
    if (!(value instanceof byte[] b) || b.length == 0) {
      return null;
    }
    if (vr.isString()) {
      String all = decode(vr, b);
      String v;
      if (vr.isSingleValued()) {
        if (index != 0) {
          return null;
        }
        v = all;
      } else {
        v = component(all, index);
        if (v == null) {
          return null;
        }
      }
      v = trim(vr, v);
      return v.isEmpty() ? null : v;
    }
    if (vr.isBinaryNumber()) {
      int unit = vr == VR.AT ? 4 : vr.unitSize();
      int off = index * unit;
      if (index < 0 || off + unit > b.length) {
        return null;
      }
      return formatBinary(vr, b, off);
    }
    return null;
  }

  private static String component(String all, int index) {
    int start = 0;
    for (int k = 0; k < index; k++) {
      int bs = all.indexOf('\\', start);
      if (bs < 0) {
        return null;
      }
      start = bs + 1;
    }
    int end = all.indexOf('\\', start);
    return end < 0 ? all.substring(start) : all.substring(start, end);
  }

  private String decode(VR vr, byte[] b) {
    if (vr.usesSpecificCharacterSet()) {
      return specificCharacterSet().decode(b, 0, b.length);
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /**
   * Removes padding: trailing spaces/NULs always; leading spaces where PS3.5 calls them
   * insignificant.
   */
  private static String trim(VR vr, String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
      end--;
    }
    int start = 0;
    if (!vr.usesSpecificCharacterSet() || vr == VR.SH || vr == VR.LO) {
      if (vr != VR.UR) {
        while (start < end && s.charAt(start) == ' ') {
          start++;
        }
      }
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  private static String formatBinary(VR vr, byte[] b, int off) {
    switch (vr) {
      case US:
        return Integer.toString(ByteUtil.uint16(b, off));
      case SS:
        return Integer.toString((short) ByteUtil.uint16(b, off));
      case UL:
        return Long.toString(ByteUtil.int32(b, off) & 0xFFFFFFFFL);
      case SL:
        return Integer.toString(ByteUtil.int32(b, off));
      case FL:
        return Float.toString(Float.intBitsToFloat(ByteUtil.int32(b, off)));
      case FD:
        return Double.toString(Double.longBitsToDouble(ByteUtil.int64(b, off)));
      case SV:
        return Long.toString(ByteUtil.int64(b, off));
      case UV:
        return Long.toUnsignedString(ByteUtil.int64(b, off));
      case AT:
        {
          int tag = (ByteUtil.uint16(b, off) << 16) | ByteUtil.uint16(b, off + 2);
          return String.format("%08X", tag);
        }
      default:
        return null;
    }
  }

  /**
   * The first value as an int: IS/DS parsed, binary numbers read; {@code dflt} when absent, empty
   * or not a number.
   */
  public int getInt(int tag, int dflt) {
    return getInt(tag, 0, dflt);
  }

  /** The value at {@code index} as an int, or {@code dflt}. */
  public int getInt(int tag, int index, int dflt) {
    int i = indexOf(tag);
    if (i < 0 || !(values[i] instanceof byte[] b) || b.length == 0) {
      return dflt;
    }
    VR vr = vrs[i];
    if (vr.isBinaryNumber() && vr != VR.AT) {
      int unit = vr.unitSize();
      int off = index * unit;
      if (index < 0 || off + unit > b.length) {
        return dflt;
      }
      switch (vr) {
        case US:
          return ByteUtil.uint16(b, off);
        case SS:
          return (short) ByteUtil.uint16(b, off);
        case UL:
        case SL:
          return ByteUtil.int32(b, off);
        case FL:
          return (int) Float.intBitsToFloat(ByteUtil.int32(b, off));
        case FD:
          return (int) Double.longBitsToDouble(ByteUtil.int64(b, off));
        default:
          return (int) ByteUtil.int64(b, off);
      }
    }
    String s = stringValue(vr, b, index);
    if (s == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      try {
        return (int) Double.parseDouble(s.trim());
      } catch (NumberFormatException e2) {
        return dflt;
      }
    }
  }

  /** All values as ints (binary or IS/DS); unparsable values become 0. */
  public int[] getInts(int tag) {
    String[] s = getStrings(tag);
    int[] out = new int[s.length];
    for (int k = 0; k < s.length; k++) {
      out[k] = getInt(tag, k, 0);
    }
    return out;
  }

  /** The first value as a double (FL/FD/DS/IS/integers), or {@code dflt}. */
  public double getDouble(int tag, double dflt) {
    String s = getString(tag);
    if (s == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  // ---------------------------------------------------------------- setters

  /**
   * Stores a value as is (byte[] little-endian, {@link Sequence} or {@link Fragments}); replaces
   * any old one.
   */
  public void setValue(int tag, VR vr, Object value) {
    if (vr == null) {
      throw new IllegalArgumentException("VR required for " + Tag.toString(tag));
    }
    if (value == null) {
      value = vr == VR.SQ ? new Sequence(this) : EMPTY;
    }
    if (value instanceof Sequence s && s.parent() != this) {
      Sequence own = new Sequence(this);
      own.addAll(s);
      value = own;
    }
    int i = indexOf(tag);
    if (i >= 0) {
      vrs[i] = vr;
      values[i] = value;
    } else {
      insert(-(i + 1), tag, vr, value);
    }
    if (tag == Tag.SpecificCharacterSet) {
      ownCharset = null;
    }
  }

  /**
   * True when {@code tag} would not sort after the last element (an out-of-order or repeated tag).
   */
  boolean isOutOfOrder(int tag) {
    return size > 0 && Integer.compareUnsigned(tags[size - 1], tag) >= 0;
  }

  /**
   * Appends an element known to sort after the last one (the reader's fast path); falls back to
   * insert.
   */
  void append(int tag, VR vr, Object value) {
    if (size > 0 && Integer.compareUnsigned(tags[size - 1], tag) >= 0) {
      setValue(tag, vr, value);
      return;
    }
    if (size == tags.length) {
      grow();
    }
    tags[size] = tag;
    vrs[size] = vr;
    values[size] = value;
    size++;
  }

  private void insert(int at, int tag, VR vr, Object value) {
    if (size == tags.length) {
      grow();
    }
    int move = size - at;
    if (move > 0) {
      System.arraycopy(tags, at, tags, at + 1, move);
      System.arraycopy(vrs, at, vrs, at + 1, move);
      System.arraycopy(values, at, values, at + 1, move);
    }
    tags[at] = tag;
    vrs[at] = vr;
    values[at] = value;
    size++;
  }

  private void grow() {
    int n = tags.length * 2;
    tags = Arrays.copyOf(tags, n);
    vrs = Arrays.copyOf(vrs, n);
    values = Arrays.copyOf(values, n);
  }

  /** Sets text values, joined by backslash and encoded with the Specific Character Set in force. */
  public void setString(int tag, VR vr, String... values) {
    if (vr.isBinaryNumber()) {
      setBinaryFromStrings(tag, vr, values);
      return;
    }
    if (!vr.isString()) {
      throw new IllegalArgumentException(vr + " is not a string VR");
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < values.length; k++) {
      if (k > 0) {
        sb.append('\\');
      }
      if (values[k] != null) {
        sb.append(values[k]);
      }
    }
    String s = sb.toString();
    byte[] b;
    if (tag == Tag.SpecificCharacterSet || !vr.usesSpecificCharacterSet()) {
      b = s.getBytes(StandardCharsets.ISO_8859_1);
    } else {
      b = specificCharacterSet().encode(s);
    }
    setValue(tag, vr, b);
  }

  private void setBinaryFromStrings(int tag, VR vr, String[] values) {
    int unit = vr == VR.AT ? 4 : vr.unitSize();
    byte[] b = new byte[unit * values.length];
    for (int k = 0; k < values.length; k++) {
      String v = values[k].trim();
      int off = k * unit;
      switch (vr) {
        case FL:
          ByteUtil.putInt32(b, off, Float.floatToIntBits(Float.parseFloat(v)));
          break;
        case FD:
          ByteUtil.putInt64(b, off, Double.doubleToLongBits(Double.parseDouble(v)));
          break;
        case AT:
          {
            int t = Tag.parse(v);
            ByteUtil.putInt16(b, off, t >>> 16);
            ByteUtil.putInt16(b, off + 2, t);
            break;
          }
        case SV:
        case UV:
          ByteUtil.putInt64(b, off, Long.parseLong(v));
          break;
        case UL:
          ByteUtil.putInt32(b, off, (int) Long.parseLong(v));
          break;
        case SL:
          ByteUtil.putInt32(b, off, Integer.parseInt(v));
          break;
        default:
          ByteUtil.putInt16(b, off, Integer.parseInt(v));
          break;
      }
    }
    setValue(tag, vr, b);
  }

  /** Sets integer values: binary for US/SS/UL/SL/SV/UV/AT, text for IS/DS. */
  public void setInt(int tag, VR vr, int... values) {
    if (vr == VR.IS || vr == VR.DS) {
      String[] s = new String[values.length];
      for (int k = 0; k < values.length; k++) {
        s[k] = Integer.toString(values[k]);
      }
      setString(tag, vr, s);
      return;
    }
    int unit = vr == VR.AT ? 4 : vr.unitSize();
    if (!vr.isBinaryNumber()) {
      throw new IllegalArgumentException(vr + " cannot hold integers");
    }
    byte[] b = new byte[unit * values.length];
    for (int k = 0; k < values.length; k++) {
      int off = k * unit;
      switch (vr) {
        case US:
        case SS:
          ByteUtil.putInt16(b, off, values[k]);
          break;
        case AT:
          ByteUtil.putInt16(b, off, values[k] >>> 16);
          ByteUtil.putInt16(b, off + 2, values[k]);
          break;
        case FL:
          ByteUtil.putInt32(b, off, Float.floatToIntBits(values[k]));
          break;
        case FD:
          ByteUtil.putInt64(b, off, Double.doubleToLongBits(values[k]));
          break;
        case SV:
          ByteUtil.putInt64(b, off, values[k]);
          break;
        case UV:
          ByteUtil.putInt64(b, off, values[k] & 0xFFFFFFFFL);
          break;
        default:
          ByteUtil.putInt32(b, off, values[k]);
          break;
      }
    }
    setValue(tag, vr, b);
  }

  /** Sets a byte value (little-endian for multi-byte VRs); the array is kept, not copied. */
  public void setBytes(int tag, VR vr, byte[] value) {
    setValue(tag, vr, value == null ? EMPTY : value);
  }

  /** Sets encapsulated pixel data. */
  public void setFragments(int tag, Fragments fragments) {
    setValue(tag, fragments.vr(), fragments);
  }

  /** Creates (replacing any old one) an empty sequence and returns it for adding items. */
  public Sequence newSequence(int tag) {
    Sequence s = new Sequence(this);
    setValue(tag, VR.SQ, s);
    return s;
  }

  /** Removes the element; returns its old value or null. */
  public Object remove(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return null;
    }
    Object old = values[i];
    int move = size - i - 1;
    if (move > 0) {
      System.arraycopy(tags, i + 1, tags, i, move);
      System.arraycopy(vrs, i + 1, vrs, i, move);
      System.arraycopy(values, i + 1, values, i, move);
    }
    size--;
    values[size] = null;
    vrs[size] = null;
    if (tag == Tag.SpecificCharacterSet) {
      ownCharset = null;
    }
    return old;
  }

  /** Copies every element of {@code other} into this data set (deep copy of sequences). */
  public void addAll(Attributes other) {
    for (int k = 0; k < other.size; k++) {
      setValue(other.tags[k], other.vrs[k], copyValue(other.values[k]));
    }
  }

  private Object copyValue(Object v) {
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (v instanceof Sequence s) {
      Sequence copy = new Sequence(this);
      for (Attributes item : s) {
        copy.add(new Attributes(item));
      }
      return copy;
    }
    if (v instanceof Fragments f) {
      Fragments copy = new Fragments(f.vr());
      for (byte[] item : f.items()) {
        copy.add(item.clone());
      }
      return copy;
    }
    return v;
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Element> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Element next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        int k = next++;
        return new Element(tags[k], vrs[k], values[k]);
      }
    };
  }

  /** Items of every sequence, for walking a tree without casting. */
  public List<Attributes> getItems(int tag) {
    Sequence s = getSequence(tag);
    return s == null ? List.of() : s;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < size && k < 50; k++) {
      sb.append(Tag.toString(tags[k])).append(' ').append(vrs[k]).append(' ');
      Object v = values[k];
      if (v instanceof Sequence s) {
        sb.append("<").append(s.size()).append(" items>");
      } else if (v instanceof Fragments f) {
        sb.append("<").append(f.size()).append(" fragments>");
      } else if (vrs[k].isString() || vrs[k].isBinaryNumber()) {
        sb.append('[').append(stringValue(vrs[k], v, 0)).append(']');
      } else {
        sb.append('<').append(((byte[]) v).length).append(" bytes>");
      }
      sb.append('\n');
    }
    if (size > 50) {
      sb.append("... ").append(size - 50).append(" more\n");
    }
    return sb.toString();
  }
}
