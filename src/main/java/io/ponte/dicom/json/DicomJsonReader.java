package io.ponte.dicom.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.SpecificCharacterSet;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the DICOM JSON Model (PS3.18 Annex F) into {@link Attributes}: one data set (a JSON object)
 * or several (a JSON array, streamed one data set at a time). Strict: malformed JSON, unknown
 * members, a value of the wrong JSON type for its VR, numbers out of range or bad base64 raise a
 * {@link DicomJsonException} naming the element. Attribute order in the input is not required
 * (other implementations do not always sort).
 *
 * <ul>
 *   <li>Text is stored encoded with the Specific Character Set in force; when the JSON declares
 *       none and a value is not ASCII, (0008,0005) is set to "ISO_IR 192" so the text survives.
 *   <li>"InlineBinary" becomes the value bytes; for Pixel Data it is turned back into fragments
 *       when the value is encapsulated (see {@link #transferSyntax(String)}).
 *   <li>"BulkDataURI" is kept as a {@link BulkDataReference}, not fetched.
 * </ul>
 */
public final class DicomJsonReader implements Closeable {

  /** Sequences nested deeper than this are refused: real data sets stay far below it. */
  static final int MAX_SEQUENCE_DEPTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // one InlineBinary may be a whole image: allow long strings (memory is bounded by the
          // input itself)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();

  private static final Set<VR> INLINE_BINARY_VRS =
      Set.of(VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.UN);
  private static final Set<VR> BULK_DATA_URI_VRS =
      Set.of(
          VR.DS, VR.FL, VR.FD, VR.IS, VR.LT, VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.SL, VR.SS,
          VR.ST, VR.SV, VR.UC, VR.UL, VR.UN, VR.US, VR.UT, VR.UV);
  private static final BigInteger UV_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final JsonParser parser;
  private final Deque<String> path = new ArrayDeque<>();
  private String transferSyntax;
  private boolean nonAscii;

  private DicomJsonReader(JsonParser parser) {
    this.parser = parser;
  }

  /** Reads JSON from a byte stream (UTF-8, as application/dicom+json always is). */
  public static DicomJsonReader of(InputStream in) throws IOException {
    return new DicomJsonReader(FACTORY.createParser(in));
  }

  public static DicomJsonReader of(Reader in) throws IOException {
    return new DicomJsonReader(FACTORY.createParser(in));
  }

  /** Convenience: one data set from a JSON text. */
  public static Attributes parse(String json) throws IOException {
    try (DicomJsonReader r = new DicomJsonReader(FACTORY.createParser(json))) {
      return r.readDataset();
    }
  }

  /**
   * The transfer syntax the InlineBinary values are in (the media type's transfer-syntax
   * parameter). For an encapsulated one, Pixel Data must be an item sequence; for a native one it
   * is plain bytes. Without it, Pixel Data is taken as encapsulated exactly when its bytes are a
   * well-formed item sequence ending with the sequence delimiter, as {@link DicomJsonWriter} writes
   * them.
   */
  public DicomJsonReader transferSyntax(String uid) {
    this.transferSyntax = uid;
    return this;
  }

  /** Reads exactly one data set: a JSON object, then the end of the input. */
  public Attributes readDataset() throws IOException {
    try {
      JsonToken t = parser.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw error(parser, "expected a JSON object (a data set), found " + describe(t));
      }
      Attributes ds = readTopLevel(parser);
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw error(parser, "unexpected " + describe(after) + " after the data set");
      }
      return ds;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
  }

  /**
   * Reads a JSON array of data sets (or a single object), handing each to {@code each} as soon as
   * it is read.
   */
  public void readDatasets(Consumer<Attributes> each) throws IOException {
    try {
      JsonToken t = parser.nextToken();
      if (t == JsonToken.START_OBJECT) {
        each.accept(readTopLevel(parser));
      } else if (t == JsonToken.START_ARRAY) {
        int i = 0;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
          path.addLast("[" + i + "]");
          if (t != JsonToken.START_OBJECT) {
            throw error(parser, "expected a data set object, found " + describe(t));
          }
          Attributes ds = readTopLevel(parser);
          path.removeLast();
          each.accept(ds);
          i++;
        }
      } else {
        throw error(
            parser, "expected a JSON array of data sets or one data set, found " + describe(t));
      }
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw error(parser, "unexpected " + describe(after) + " after the data sets");
      }
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
  }

  /** Reads a JSON array of data sets (or a single object) into a list. */
  public List<Attributes> readDatasets() throws IOException {
    List<Attributes> all = new ArrayList<>();
    readDatasets(all::add);
    return all;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  // ------------------------------------------------------------------ data sets

  private Attributes readTopLevel(JsonParser p) throws IOException {
    nonAscii = false;
    Attributes ds = new Attributes();
    readObject(p, ds, 0);
    encodeText(ds);
    return ds;
  }

  /** Reads the members of a data set object; the parser is on its START_OBJECT. */
  private void readObject(JsonParser p, Attributes ds, int depth) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      if (t != JsonToken.FIELD_NAME) {
        throw error(p, "expected an attribute tag, found " + describe(t));
      }
      String key = p.currentName();
      int tag = parseTag(p, key);
      path.addLast(Tag.toString(tag));
      if (ds.contains(tag)) {
        throw error(p, "attribute appears twice");
      }
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw error(
            p,
            "an attribute must be a JSON object with \"vr\", found " + describe(p.currentToken()));
      }
      readAttribute(p, ds, tag, depth);
      path.removeLast();
    }
  }

  private int parseTag(JsonParser p, String key) throws IOException {
    if (key.length() != 8) {
      throw error(p, "\"" + key + "\" is not a tag: expected 8 hexadecimal digits");
    }
    int tag = 0;
    for (int i = 0; i < 8; i++) {
      int d = Character.digit(key.charAt(i), 16);
      if (d < 0) {
        throw error(p, "\"" + key + "\" is not a tag: expected 8 hexadecimal digits");
      }
      tag = tag << 4 | d;
    }
    return tag;
  }

  /**
   * One attribute object: "vr" and at most one of "Value", "InlineBinary", "BulkDataURI", in any
   * order.
   */
  private void readAttribute(JsonParser p, Attributes ds, int tag, int depth) throws IOException {
    VR vr = null;
    String kind = null;
    TokenBuffer pending = null; // a value met before "vr": replayed once the VR is known
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      if (t != JsonToken.FIELD_NAME) {
        throw error(p, "expected a member name, found " + describe(t));
      }
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "vr" -> {
          if (vr != null) {
            throw error(p, "\"vr\" appears twice");
          }
          if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw error(p, "\"vr\" must be a string, found " + describe(p.currentToken()));
          }
          vr = VR.of(p.getText());
          if (vr == null) {
            throw error(p, "unknown VR \"" + p.getText() + "\"");
          }
          if (pending != null) {
            try (JsonParser replay = pending.asParser()) {
              replay.nextToken();
              readContent(replay, ds, tag, vr, kind, depth);
            }
            pending = null;
          }
        }
        case "Value", "InlineBinary", "BulkDataURI" -> {
          if (kind != null) {
            throw error(
                p, "\"" + name + "\" cannot follow \"" + kind + "\": an attribute has at most one");
          }
          kind = name;
          if (vr != null) {
            readContent(p, ds, tag, vr, kind, depth);
          } else {
            pending = new TokenBuffer(p, null);
            pending.copyCurrentStructure(p);
          }
        }
        default -> throw error(p, "unknown member \"" + name + "\"");
      }
    }
    if (vr == null) {
      throw error(p, "\"vr\" is missing");
    }
    if (kind == null) {
      ds.setValue(tag, vr, null); // present, empty (F.2.5)
    }
  }

  private void readContent(JsonParser p, Attributes ds, int tag, VR vr, String kind, int depth)
      throws IOException {
    switch (kind) {
      case "Value" -> readValue(p, ds, tag, vr, depth);
      case "InlineBinary" -> readInlineBinary(p, ds, tag, vr, depth);
      default -> {
        if (!BULK_DATA_URI_VRS.contains(vr)) {
          throw error(p, "\"BulkDataURI\" is not allowed for VR " + vr);
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw error(p, "\"BulkDataURI\" must be a string, found " + describe(p.currentToken()));
        }
        ds.setValue(tag, vr, new BulkDataReference(p.getText(), vr));
      }
    }
  }

  // ------------------------------------------------------------------ "Value"

  private void readValue(JsonParser p, Attributes ds, int tag, VR vr, int depth)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(p, "\"Value\" must be an array, found " + describe(p.currentToken()));
    }
    if (vr.isBulk()) {
      throw error(p, "VR " + vr + " has no \"Value\": use \"InlineBinary\" or \"BulkDataURI\"");
    }
    if (vr == VR.SQ) {
      readItems(p, ds.newSequence(tag), depth);
    } else if (vr == VR.PN) {
      ds.setValue(tag, vr, text(readPersonNames(p)));
    } else if (vr.isString()) {
      ds.setValue(tag, vr, text(vr, readStrings(p, vr)));
    } else if (vr.isBinaryNumber()) {
      ds.setValue(tag, vr, readBinaryNumbers(p, vr));
    } else {
      throw error(p, "VR " + vr + " cannot have a \"Value\"");
    }
  }

  private void readItems(JsonParser p, Sequence items, int depth) throws IOException {
    if (depth + 1 > MAX_SEQUENCE_DEPTH) {
      throw error(p, "sequences nested deeper than " + MAX_SEQUENCE_DEPTH);
    }
    JsonToken t;
    int i = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      path.addLast("[" + i + "]");
      if (t != JsonToken.START_OBJECT) {
        throw error(p, "a sequence item must be a JSON object, found " + describe(t));
      }
      readObject(p, items.addItem(), depth + 1);
      path.removeLast();
      i++;
    }
  }

  private List<String> readStrings(JsonParser p, VR vr) throws IOException {
    List<String> values = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      switch (t) {
        case VALUE_NULL -> values.add("");
        case VALUE_STRING -> {
          String s = p.getText();
          if (vr.isSingleValued()) {
            if (!values.isEmpty()) {
              throw error(p, "VR " + vr + " holds a single value");
            }
          } else if (s.indexOf('\\') >= 0) {
            throw error(p, "a " + vr + " value cannot contain a backslash (the value delimiter)");
          }
          if (!vr.usesSpecificCharacterSet() && !isAscii(s)) {
            throw error(p, "VR " + vr + " allows only ASCII characters");
          }
          values.add(s);
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          if (vr != VR.DS && vr != VR.IS) {
            throw error(p, "a " + vr + " value must be a string, found a number");
          }
          values.add(p.getText()); // the number as written, so no precision is lost
        }
        default ->
            throw error(
                p,
                "a "
                    + vr
                    + " value must be a "
                    + (vr == VR.DS || vr == VR.IS ? "number, string" : "string")
                    + " or null, found "
                    + describe(t));
      }
    }
    return values;
  }

  private List<String> readPersonNames(JsonParser p) throws IOException {
    List<String> values = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NULL) {
        values.add("");
        continue;
      }
      if (t != JsonToken.START_OBJECT) {
        throw error(
            p,
            "a PN value must be an object with Alphabetic/Ideographic/Phonetic, or null; found "
                + describe(t));
      }
      String[] groups = new String[3];
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        String name = p.currentName();
        int g = List.of(PersonNames.GROUP_NAMES).indexOf(name);
        if (g < 0) {
          throw error(p, "unknown PN component group \"" + name + "\"");
        }
        if (groups[g] != null) {
          throw error(p, "PN component group \"" + name + "\" appears twice");
        }
        t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
          groups[g] = "";
          continue;
        }
        if (t != JsonToken.VALUE_STRING) {
          throw error(
              p, "PN component group \"" + name + "\" must be a string, found " + describe(t));
        }
        String s = p.getText();
        if (s.indexOf('=') >= 0 || s.indexOf('\\') >= 0) {
          throw error(p, "PN component group \"" + name + "\" cannot contain '=' or '\\'");
        }
        groups[g] = s;
      }
      values.add(PersonNames.join(groups[0], groups[1], groups[2]));
    }
    return values;
  }

  private byte[] readBinaryNumbers(JsonParser p, VR vr) throws IOException {
    int unit = vr == VR.AT ? 4 : vr.unitSize();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[unit];
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      switch (vr) {
        case AT -> {
          if (t != JsonToken.VALUE_STRING || !p.getText().matches("[0-9A-Fa-f]{8}")) {
            throw error(
                p, "an AT value must be a string of 8 hexadecimal digits, found " + describe(t));
          }
          int tag = (int) Long.parseLong(p.getText(), 16);
          ByteUtil.putInt16(b, 0, tag >>> 16);
          ByteUtil.putInt16(b, 2, tag);
        }
        case FL -> ByteUtil.putInt32(b, 0, Float.floatToIntBits((float) floating(p, t, vr)));
        case FD -> ByteUtil.putInt64(b, 0, Double.doubleToLongBits(floating(p, t, vr)));
        case US -> ByteUtil.putInt16(b, 0, integer(p, t, vr, 0, 0xFFFF).intValue());
        case SS ->
            ByteUtil.putInt16(b, 0, integer(p, t, vr, Short.MIN_VALUE, Short.MAX_VALUE).intValue());
        case UL -> ByteUtil.putInt32(b, 0, integer(p, t, vr, 0, 0xFFFFFFFFL).intValue());
        case SL ->
            ByteUtil.putInt32(
                b, 0, integer(p, t, vr, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue());
        case SV ->
            ByteUtil.putInt64(b, 0, integer(p, t, vr, Long.MIN_VALUE, Long.MAX_VALUE).longValue());
        case UV -> ByteUtil.putInt64(b, 0, integer(p, t, vr, 0, UV_MAX).longValue());
        default -> throw error(p, "VR " + vr + " cannot have a \"Value\"");
      }
      out.write(b, 0, unit);
    }
    return out.toByteArray();
  }

  private double floating(JsonParser p, JsonToken t, VR vr) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return Double.parseDouble(p.getText());
    }
    if (t == JsonToken.VALUE_STRING) {
      switch (p.getText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw error(
        p,
        "a "
            + vr
            + " value must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found "
            + describe(t));
  }

  private BigInteger integer(JsonParser p, JsonToken t, VR vr, long min, long max)
      throws IOException {
    return integer(p, t, vr, BigInteger.valueOf(min), BigInteger.valueOf(max));
  }

  private BigInteger integer(JsonParser p, JsonToken t, VR vr, long min, BigInteger max)
      throws IOException {
    return integer(p, t, vr, BigInteger.valueOf(min), max);
  }

  private BigInteger integer(JsonParser p, JsonToken t, VR vr, BigInteger min, BigInteger max)
      throws IOException {
    BigInteger v;
    if (t == JsonToken.VALUE_NUMBER_INT) {
      v = p.getBigIntegerValue();
    } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      try {
        v = new BigDecimal(p.getText()).toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw error(p, "a " + vr + " value must be an integer, found " + p.getText());
      }
    } else if (t == JsonToken.VALUE_STRING
        && (vr == VR.SV || vr == VR.UV)
        && p.getText().matches("-?[0-9]{1,20}")) {
      v = new BigInteger(p.getText()); // F.2.3: SV/UV may be strings (dcm2json writes them so)
    } else {
      throw error(p, "a " + vr + " value must be an integer, found " + describe(t));
    }
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw error(p, v + " is out of range for VR " + vr + " (" + min + ".." + max + ")");
    }
    return v;
  }

  // ------------------------------------------------------------------ "InlineBinary"

  private void readInlineBinary(JsonParser p, Attributes ds, int tag, VR vr, int depth)
      throws IOException {
    if (!INLINE_BINARY_VRS.contains(vr)) {
      throw error(p, "\"InlineBinary\" is not allowed for VR " + vr);
    }
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw error(
          p, "\"InlineBinary\" must be a base64 string, found " + describe(p.currentToken()));
    }
    byte[] bytes;
    try {
      bytes = p.getBinaryValue();
    } catch (JsonProcessingException e) {
      throw error(p, "\"InlineBinary\" is not valid base64: " + e.getOriginalMessage());
    }
    if (tag == Tag.PixelData && (vr == VR.OB || vr == VR.OW)) {
      Fragments fragments = encapsulated(p, vr, bytes);
      if (fragments != null) {
        ds.setFragments(tag, fragments);
        return;
      }
    }
    int unit = vr.unitSize();
    if (unit > 1 && bytes.length % unit != 0) {
      throw error(
          p,
          "a "
              + vr
              + " value must be a multiple of "
              + unit
              + " bytes long, found "
              + bytes.length);
    }
    ds.setValue(tag, vr, bytes);
  }

  /** Fragments when Pixel Data is encapsulated (see {@link #transferSyntax(String)}), else null. */
  private Fragments encapsulated(JsonParser p, VR vr, byte[] bytes) throws IOException {
    boolean declared = transferSyntax != null;
    boolean encapsulatedSyntax = declared && !UID.isNative(transferSyntax);
    if (declared && !encapsulatedSyntax) {
      return null;
    }
    Fragments f = new Fragments(vr);
    int off = 0;
    while (off + 8 <= bytes.length) {
      int tag = ByteUtil.uint16(bytes, off) << 16 | ByteUtil.uint16(bytes, off + 2);
      long len = ByteUtil.int32(bytes, off + 4) & 0xFFFFFFFFL;
      off += 8;
      if (tag == 0xFFFEE0DD) {
        if (len == 0 && off == bytes.length && f.size() > 0) {
          return f;
        }
        break;
      }
      if (tag != 0xFFFEE000 || len > bytes.length - off) {
        break;
      }
      f.add(java.util.Arrays.copyOfRange(bytes, off, off + (int) len));
      off += (int) len;
    }
    if (encapsulatedSyntax) {
      throw error(
          p,
          "encapsulated Pixel Data must be items (FFFE,E000) ending with (FFFE,E0DD), as in PS3.5 A.4");
    }
    return null;
  }

  // ------------------------------------------------------------------ text and character sets

  /** Text held as UTF-8 until the data set's character set is known (see {@link #encodeText}). */
  private byte[] text(List<String> values) {
    return text(VR.PN, values);
  }

  private byte[] text(VR vr, List<String> values) {
    if (values.isEmpty() || (values.size() == 1 && values.get(0).isEmpty())) {
      return new byte[0];
    }
    String joined = String.join("\\", values);
    nonAscii |= !isAscii(joined);
    return joined.getBytes(
        vr.usesSpecificCharacterSet() ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
  }

  /**
   * Encodes the text read as UTF-8 with the Specific Character Set in force in each data set. JSON
   * text is Unicode: without a declared set, non-ASCII text needs ISO_IR 192; with another declared
   * set (JSON from other implementations keeps the file's), each value must be representable in it.
   */
  private void encodeText(Attributes top) throws IOException {
    if (nonAscii && !top.containsValue(Tag.SpecificCharacterSet)) {
      top.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    }
    reencode(top, "");
  }

  private void reencode(Attributes ds, String prefix) throws IOException {
    SpecificCharacterSet cs = ds.specificCharacterSet();
    for (int i = 0; i < ds.size(); i++) {
      int tag = ds.tagAt(i);
      VR vr = ds.vrAt(i);
      Object v = ds.valueAt(i);
      if (v instanceof Sequence items) {
        for (int k = 0; k < items.size(); k++) {
          reencode(items.get(k), prefix + Tag.toString(tag) + "[" + k + "]");
        }
      } else if (!cs.isUTF8()
          && vr.usesSpecificCharacterSet()
          && v instanceof byte[] b
          && b.length > 0) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (!isAscii(s)) {
          if (cs.codes().length > 1 || !cs.charset().newEncoder().canEncode(s)) {
            throw new DicomJsonException(
                prefix + Tag.toString(tag),
                "text cannot be represented in the"
                    + " declared Specific Character Set "
                    + String.join("\\", cs.codes()),
                null,
                null);
          }
          ds.setValue(tag, vr, cs.encode(s));
        }
      }
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ errors

  private DicomJsonException error(JsonParser p, String reason) {
    return new DicomJsonException(String.join("", path), reason, location(p), null);
  }

  private DicomJsonException malformed(JsonProcessingException e) {
    return new DicomJsonException(
        String.join("", path),
        "malformed JSON: " + e.getOriginalMessage(),
        location(e.getLocation()),
        e);
  }

  private String location(JsonParser p) {
    JsonLocation l = p.currentLocation();
    if (l == null || l.getLineNr() < 0 || p != parser) {
      l = parser.currentLocation(); // a replayed value has no location of its own: use the real
      // input's
    }
    return location(l);
  }

  private static String location(JsonLocation l) {
    return l == null || l.getLineNr() < 0
        ? null
        : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
