package io.ponte.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares our reading of a data set with dcmtk's, element by element: tag order, VR (when the file
 * states it), value length and value, recursively through sequences and encapsulated fragments.
 * Collects every difference so one run shows them all.
 */
final class DumpComparator {

  final List<String> problems = new ArrayList<>();
  private final boolean explicitSource;
  private final boolean utf8;
  private int compared;

  /**
   * @param explicitSource the file states VRs (explicit VR), so they must match exactly
   * @param utf8 the dump was made with +U8 (dcmtk decoded text to UTF-8)
   */
  DumpComparator(boolean explicitSource, boolean utf8) {
    this.explicitSource = explicitSource;
    this.utf8 = utf8;
  }

  int compared() {
    return compared;
  }

  void compare(String path, Attributes mine, List<DcmDump.Node> theirs) {
    int n = Math.max(mine.size(), theirs.size());
    for (int i = 0, j = 0; i < mine.size() || j < theirs.size(); ) {
      if (i >= mine.size()) {
        problems.add(path + ": missing " + theirs.get(j));
        j++;
        continue;
      }
      if (j >= theirs.size()) {
        problems.add(path + ": extra " + Tag.toString(mine.tagAt(i)));
        i++;
        continue;
      }
      int t = mine.tagAt(i);
      DcmDump.Node d = theirs.get(j);
      if (t != d.tag) {
        if (Integer.compareUnsigned(t, d.tag) < 0) {
          problems.add(path + ": extra " + Tag.toString(t));
          i++;
        } else {
          problems.add(path + ": missing " + d);
          j++;
        }
        continue;
      }
      compareElement(path + "/" + Tag.toString(t), mine, i, d);
      i++;
      j++;
    }
    if (n > 10_000_000) {
      problems.add("unreachable");
    }
  }

  private void compareElement(String path, Attributes container, int index, DcmDump.Node d) {
    compared++;
    VR vr = container.vrAt(index);
    Object value = container.valueAt(index);
    if (d.isPixelSequence()) {
      if (!(value instanceof Fragments f)) {
        problems.add(path + ": dcmtk reads a pixel sequence, we read " + vr);
        return;
      }
      if (f.size() != d.fragments.size()) {
        problems.add(path + ": " + f.size() + " fragment items, dcmtk " + d.fragments.size());
        return;
      }
      for (int k = 0; k < f.size(); k++) {
        DcmDump.Node item = d.fragments.get(k);
        byte[] b = f.items().get(k);
        checkLength(path + "/item" + k, b.length, item);
        compareHex(path + "/item" + k, b, item.noValue() ? "" : item.value, 1);
      }
      return;
    }
    if (value instanceof Sequence s
        && !d.isSequence()
        && (d.vr.equals("??") || d.vr.equals("UN"))) {
      // We recognised an implicit VR sequence dcmtk keeps as bytes: let dcmtk parse those bytes as
      // one.
      List<List<DcmDump.Node>> items;
      try {
        items =
            DcmDump.itemsOfImplicitSequence(
                DcmDump.hexBytes(d),
                String.join("\\", container.specificCharacterSet().codes()),
                utf8);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (items == null || items.size() != s.size()) {
        problems.add(
            path
                + ": we read a sequence of "
                + s.size()
                + " items, dcmtk's reading of the bytes: "
                + (items == null ? "none" : items.size()));
        return;
      }
      for (int k = 0; k < s.size(); k++) {
        compare(path + "[" + k + "]", s.get(k), items.get(k));
      }
      return;
    }
    if (d.isSequence()) {
      if (!(value instanceof Sequence s)) {
        problems.add(path + ": dcmtk reads a sequence, we read " + vr);
        return;
      }
      if (s.size() != d.items.size()) {
        problems.add(path + ": " + s.size() + " items, dcmtk " + d.items.size());
        return;
      }
      for (int k = 0; k < s.size(); k++) {
        compare(path + "[" + k + "]", s.get(k), d.items.get(k));
      }
      return;
    }
    if (!(value instanceof byte[] b)) {
      problems.add(
          path
              + ": we read "
              + (value == null ? "null" : value.getClass().getSimpleName())
              + ", dcmtk "
              + d);
      return;
    }
    VR theirVR = VR.of(d.vr);
    if (theirVR == null) {
      theirVR = VR.UN; // "??": dcmtk has no VR for this tag either
    }
    if (theirVR != vr) {
      boolean tolerated = !explicitSource && (vr == VR.UN || ambiguous(vr, theirVR));
      if (!tolerated) {
        problems.add(path + ": VR " + vr + ", dcmtk " + d.vr);
        return;
      }
    }
    boolean converted =
        utf8
            && theirVR.usesSpecificCharacterSet()
            && !container.specificCharacterSet().isUTF8()
            && container.specificCharacterSet().codes().length > 0;
    if (!converted) {
      checkLength(path, b.length, d);
    }
    if (container.tagAt(index) == Tag.SpecificCharacterSet && utf8) {
      return; // +U8 rewrites it to ISO_IR 192; checked against a raw dump separately
    }
    compareValue(path, container, theirVR, b, d);
  }

  private static boolean ambiguous(VR a, VR b) {
    return (a == VR.US || a == VR.SS) && (b == VR.US || b == VR.SS)
        || (a == VR.OB || a == VR.OW) && (b == VR.OB || b == VR.OW);
  }

  private void checkLength(String path, int length, DcmDump.Node d) {
    // dcmtk pads an odd-length value by one byte in memory; we keep the bytes as they are in the
    // file.
    if (!d.length.equals("u/l")
        && Integer.parseInt(d.length) != length
        && !(length % 2 == 1 && Integer.parseInt(d.length) == length + 1)) {
      problems.add(path + ": length " + length + ", dcmtk " + d.length);
    }
  }

  private void compareValue(String path, Attributes container, VR vr, byte[] b, DcmDump.Node d) {
    if (d.noValue()) {
      if (b.length != 0
          && !(vr.isString() && new String(b, StandardCharsets.ISO_8859_1).isBlank())) {
        problems.add(path + ": dcmtk sees no value, we have " + b.length + " bytes");
      }
      return;
    }
    if (vr.isString()) {
      String mine;
      if (utf8 && vr.usesSpecificCharacterSet()) {
        mine = container.specificCharacterSet().decode(b, 0, b.length);
      } else {
        mine = new String(b, StandardCharsets.ISO_8859_1);
      }
      String theirs = DcmDump.text(d, utf8 && vr.usesSpecificCharacterSet());
      List<String> a = components(mine, vr);
      List<String> t = components(theirs, vr);
      if (!a.equals(t)) {
        problems.add(path + ": " + vr + " value " + a + ", dcmtk " + t);
      }
      // The public accessor must agree with the raw comparison.
      if (vr == container.vrAt(indexOf(container, d.tag))) {
        String first = container.getString(d.tag);
        String expectFirst = t.isEmpty() || t.get(0).isEmpty() ? null : t.get(0);
        if (utf8
            || !vr.usesSpecificCharacterSet()
            || container.specificCharacterSet().codes().length == 0) {
          if (!java.util.Objects.equals(first, expectFirst)) {
            problems.add(path + ": getString " + first + ", dcmtk " + expectFirst);
          }
        }
      }
      return;
    }
    String[] parts = d.value.split("\\\\");
    switch (vr) {
      case US:
      case SS:
      case UL:
      case SL:
      case SV:
      case UV:
        {
          int unit = vr.unitSize();
          if (parts.length * unit != b.length) {
            problems.add(path + ": " + b.length / unit + " values, dcmtk " + parts.length);
            return;
          }
          for (int k = 0; k < parts.length; k++) {
            long mine = readInt(vr, b, k * unit);
            if (!Long.toString(mine).equals(parts[k].trim())
                && !Long.toUnsignedString(mine).equals(parts[k].trim())) {
              problems.add(path + "[" + k + "]: " + mine + ", dcmtk " + parts[k]);
              return;
            }
          }
          return;
        }
      case FL:
      case FD:
      case OF:
      case OD:
        {
          int unit = vr.unitSize();
          if (parts.length * unit != b.length) {
            problems.add(path + ": " + b.length / unit + " values, dcmtk " + parts.length);
            return;
          }
          for (int k = 0; k < parts.length; k++) {
            double mine =
                unit == 4
                    ? Float.intBitsToFloat(ByteUtil.int32(b, k * unit))
                    : Double.longBitsToDouble(ByteUtil.int64(b, k * unit));
            if (!close(mine, parts[k].trim(), unit == 4 ? 1e-5 : 1e-9)) {
              problems.add(path + "[" + k + "]: " + mine + ", dcmtk " + parts[k]);
              return;
            }
          }
          return;
        }
      case AT:
        {
          if (parts.length * 4 != b.length) {
            problems.add(path + ": " + b.length / 4 + " AT values, dcmtk " + parts.length);
            return;
          }
          for (int k = 0; k < parts.length; k++) {
            int mine = ByteUtil.uint16(b, k * 4) << 16 | ByteUtil.uint16(b, k * 4 + 2);
            if (mine != Tag.parse(parts[k])) {
              problems.add(path + "[" + k + "]: " + Tag.toString(mine) + ", dcmtk " + parts[k]);
              return;
            }
          }
          return;
        }
      case OW:
        compareHex(path, b, d.value, 2);
        return;
      case OL:
        compareHex(path, b, d.value, 4);
        return;
      case OV:
        compareHex(path, b, d.value, 8);
        return;
      default:
        compareHex(path, b, d.value, 1);
    }
  }

  private static int indexOf(Attributes a, int tag) {
    for (int i = 0; i < a.size(); i++) {
      if (a.tagAt(i) == tag) {
        return i;
      }
    }
    return -1;
  }

  private static boolean close(double mine, String theirs, double rel) {
    double t;
    try {
      t = Double.parseDouble(theirs);
    } catch (NumberFormatException e) {
      return Double.toString(mine).equalsIgnoreCase(theirs);
    }
    if (Double.isNaN(t)) {
      return Double.isNaN(mine);
    }
    return mine == t
        || Math.abs(mine - t) <= rel * Math.max(Math.abs(mine), Math.abs(t))
        || Math.abs(mine - t) < 1e-30;
  }

  private static long readInt(VR vr, byte[] b, int off) {
    switch (vr) {
      case US:
        return ByteUtil.uint16(b, off);
      case SS:
        return (short) ByteUtil.uint16(b, off);
      case UL:
        return ByteUtil.int32(b, off) & 0xFFFFFFFFL;
      case SL:
        return ByteUtil.int32(b, off);
      default:
        return ByteUtil.int64(b, off);
    }
  }

  /**
   * Compares bytes with dcmtk's hex print: units of 1, 2, 4 or 8 bytes in native (little-endian)
   * order.
   */
  private void compareHex(String path, byte[] b, String hex, int unit) {
    if (hex.isEmpty()) {
      if (b.length != 0) {
        problems.add(path + ": " + b.length + " bytes, dcmtk none");
      }
      return;
    }
    String[] parts = hex.split("\\\\");
    int units = (b.length + unit - 1) / unit;
    if (b.length % 2 == 1
        && unit == 1
        && parts.length == units + 1
        && Long.parseLong(parts[units], 16) == 0) {
      parts = java.util.Arrays.copyOf(parts, units); // dcmtk's in-memory padding of an odd length
    }
    if (parts.length != units) {
      problems.add(path + ": " + units + " units of " + unit + " bytes, dcmtk " + parts.length);
      return;
    }
    for (int k = 0; k < parts.length; k++) {
      long mine = 0;
      for (int x = unit - 1; x >= 0; x--) {
        int at = k * unit + x;
        mine = (mine << 8) | (at < b.length ? b[at] & 0xFF : 0);
      }
      if (mine != Long.parseUnsignedLong(parts[k], 16)) {
        problems.add(
            path + ": unit " + k + " is " + Long.toHexString(mine) + ", dcmtk " + parts[k]);
        return;
      }
    }
  }

  /**
   * Values split on backslash (not for single-valued VRs), each trimmed of padding spaces and NULs.
   */
  private static List<String> components(String s, VR vr) {
    List<String> out = new ArrayList<>();
    if (vr.isSingleValued()) {
      out.add(strip(s));
    } else {
      for (String p : s.split("\\\\", -1)) {
        out.add(strip(p));
      }
    }
    while (out.size() == 1 && out.get(0).isEmpty()) {
      out.clear();
    }
    return out;
  }

  private static String strip(String s) {
    int a = 0;
    int e = s.length();
    while (a < e && (s.charAt(a) == ' ' || s.charAt(a) == '\0')) {
      a++;
    }
    while (e > a && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\0')) {
      e--;
    }
    return s.substring(a, e);
  }
}
