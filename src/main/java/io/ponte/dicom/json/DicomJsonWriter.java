package io.ponte.dicom.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes {@link Attributes} as the DICOM JSON Model (PS3.18 Annex F), streamed through a Jackson
 * {@link JsonGenerator}: nothing is built in memory beyond one value at a time, and bulk data is
 * base64-encoded on the fly. One data set is one JSON object; several (a QIDO-RS response) go
 * inside {@link #startArray()}/{@link #endArray()}.
 *
 * <p>Encoding choices, where Annex F leaves room (docs/dicom-codec.md, section "DICOM JSON",
 * explains each):
 *
 * <ul>
 *   <li>Keys are the 8-digit upper-case hex tags in ascending order; group lengths (gggg,0000) are
 *       left out (F.2.2).
 *   <li>IS, DS, SL, SS, UL, US, SV, UV, FL, FD values are JSON numbers. DS/IS keep their text when
 *       it is a valid JSON number ("5.000000" stays 5.000000); other valid forms (" +7", ".5") are
 *       normalised by value; text that is no number at all is written as a JSON string (F.2.3
 *       allows String for DS and IS). FL/FD NaN and infinities, which JSON numbers cannot hold, are
 *       written as the strings "NaN", "Infinity", "-Infinity".
 *   <li>Empty values inside a multi-valued element are null; an element whose only value is empty
 *       has no "Value" (F.2.5). PN groups are trimmed of trailing '^' (PS3.5 6.2.1: trailing empty
 *       components are insignificant) and empty groups are left out.
 *   <li>Text is Unicode in JSON, so a present Specific Character Set (0008,0005) is written as
 *       "ISO_IR 192" (what the text now is), as dcm2json does.
 *   <li>Encapsulated pixel data as InlineBinary is the base64 of the whole value field (F.2.7):
 *       every item with its (FFFE,E000) header, offset table first, then the sequence delimiter;
 *       {@link DicomJsonReader} turns it back into fragments.
 * </ul>
 *
 * <p>Not thread-safe. {@link #close()} finishes the JSON and flushes but does not close the target
 * stream.
 */
public final class DicomJsonWriter implements Flushable, Closeable {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** RFC 8259 number syntax: DS/IS text matching it is copied as is. */
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private static final byte[] SEQUENCE_DELIMITER = {
    (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0
  };

  private final JsonGenerator gen;
  private final BulkDataMode bulkDataMode;
  private final BulkDataUris bulkDataUris;

  /** Sequence tags and item indices leading to the data set being written (for bulk data paths). */
  private final List<String> path = new ArrayList<>();

  private DicomJsonWriter(JsonGenerator gen, Builder b) {
    this.gen = gen;
    this.bulkDataMode = b.mode;
    this.bulkDataUris = b.uris;
    if (b.pretty) {
      // "key": value, two-space indent: the layout dcm2json prints, so the two read alike side by
      // side
      DefaultPrettyPrinter pp =
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"));
      gen.setPrettyPrinter(pp);
    }
  }

  /** A writer with the defaults: compact output, bulk data inline. */
  public static DicomJsonWriter of(OutputStream out) throws IOException {
    return builder().build(out);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for a {@link DicomJsonWriter}. */
  public static final class Builder {
    private BulkDataMode mode = BulkDataMode.INLINE;
    private BulkDataUris uris;
    private boolean pretty;

    private Builder() {}

    /** Bulk data inline (default) or omitted; for URIs use {@link #bulkDataUris(BulkDataUris)}. */
    public Builder bulkData(BulkDataMode mode) {
      if (mode == BulkDataMode.URI && uris == null) {
        throw new IllegalArgumentException("BulkDataMode.URI needs bulkDataUris(...)");
      }
      this.mode = Objects.requireNonNull(mode);
      return this;
    }

    /** Bulk data as "BulkDataURI", named by {@code uris} (null from it means: inline this one). */
    public Builder bulkDataUris(BulkDataUris uris) {
      this.uris = Objects.requireNonNull(uris);
      this.mode = BulkDataMode.URI;
      return this;
    }

    /** Indented output (two spaces), as dcm2json prints by default; compact otherwise. */
    public Builder pretty(boolean pretty) {
      this.pretty = pretty;
      return this;
    }

    /** Writes UTF-8 JSON to {@code out}. */
    public DicomJsonWriter build(OutputStream out) throws IOException {
      return new DicomJsonWriter(FACTORY.createGenerator(out, JsonEncoding.UTF8), this);
    }

    public DicomJsonWriter build(Writer out) throws IOException {
      return new DicomJsonWriter(FACTORY.createGenerator(out), this);
    }
  }

  /** Opens a JSON array of data sets (e.g. a QIDO-RS response). */
  public void startArray() throws IOException {
    gen.writeStartArray();
  }

  public void endArray() throws IOException {
    gen.writeEndArray();
  }

  /**
   * Writes one data set as a JSON object (at top level, or as the next element of an open array).
   */
  public void write(Attributes dataset) throws IOException {
    writeObject(dataset);
  }

  @Override
  public void flush() throws IOException {
    gen.flush();
  }

  /** Closes any open array/object and flushes; the target stream stays open. */
  @Override
  public void close() throws IOException {
    gen.close();
  }

  // ------------------------------------------------------------------ data sets and elements

  private void writeObject(Attributes ds) throws IOException {
    gen.writeStartObject();
    for (Attributes.Element e : ds) {
      if (!Tag.isGroupLength(e.tag())) { // F.2.2: group lengths are never part of the model
        writeElement(ds, e);
      }
    }
    gen.writeEndObject();
  }

  private void writeElement(Attributes ds, Attributes.Element e) throws IOException {
    int tag = e.tag();
    VR vr = e.vr();
    Object value = e.value();
    boolean bulk =
        value instanceof Fragments
            || value instanceof BulkDataReference
            || (vr.isBulk() && value instanceof byte[]);
    if (bulk && bulkDataMode == BulkDataMode.OMIT) {
      return;
    }
    if (value instanceof Sequence) {
      vr = VR.SQ; // items parsed from a UN of undefined length (PS3.5 6.2.2): only SQ can hold them
      // in JSON
    } else if (!bulk && value instanceof byte[] b && b.length > 0 && vr == VR.SQ) {
      vr = VR.UN; // bytes the codec could not read as items: kept, as UN, rather than silently
      // dropped
      bulk = true;
      if (bulkDataMode == BulkDataMode.OMIT) {
        return;
      }
    }
    gen.writeFieldName(hex(tag));
    gen.writeStartObject();
    gen.writeStringField("vr", vr.name());
    if (value instanceof Sequence items) {
      writeItems(tag, items);
    } else if (value instanceof BulkDataReference ref) {
      gen.writeStringField("BulkDataURI", ref.uri());
    } else if (value instanceof Fragments fragments) {
      writeBulk(tag, vr, null, fragments);
    } else if (value instanceof byte[] bytes && bytes.length > 0) {
      if (bulk) {
        writeBulk(tag, vr, bytes, null);
      } else if (tag == Tag.SpecificCharacterSet) {
        // Text in JSON is Unicode: the set that now describes it is UTF-8, whatever the file used.
        gen.writeArrayFieldStart("Value");
        gen.writeString("ISO_IR 192");
        gen.writeEndArray();
      } else if (vr == VR.PN) {
        writePersonNames(ds.getStrings(tag));
      } else if (vr.isString()) {
        writeStrings(vr, ds.getStrings(tag));
      } else if (vr.isBinaryNumber()) {
        writeBinaryNumbers(vr, bytes);
      }
    } else if (value != null && !(value instanceof byte[])) {
      throw new IllegalArgumentException(
          Tag.toString(tag) + ": cannot write a value of type " + value.getClass().getSimpleName());
    }
    gen.writeEndObject();
  }

  private void writeItems(int tag, Sequence items) throws IOException {
    if (items.isEmpty()) {
      return;
    }
    gen.writeArrayFieldStart("Value");
    path.add(hex(tag));
    try {
      for (int i = 0; i < items.size(); i++) {
        path.add(Integer.toString(i));
        writeObject(items.get(i));
        path.remove(path.size() - 1);
      }
    } finally {
      path.remove(path.size() - 1);
    }
    gen.writeEndArray();
  }

  // ------------------------------------------------------------------ text

  private void writeStrings(VR vr, String[] values) throws IOException {
    if (allEmpty(values)) {
      if (values.length > 1) { // keep the multiplicity: F.2.5 encodes empty values as null
        writeNulls(values.length);
      }
      return;
    }
    boolean numeric = vr == VR.DS || vr == VR.IS;
    gen.writeArrayFieldStart("Value");
    for (String v : values) {
      String s = v; // the model already removed insignificant spaces (PS3.5 6.2)
      if (s == null || s.isEmpty()) {
        gen.writeNull();
      } else if (numeric) {
        writeDecimalString(s);
      } else {
        gen.writeString(s);
      }
    }
    gen.writeEndArray();
  }

  private void writeDecimalString(String s) throws IOException {
    if (JSON_NUMBER.matcher(s).matches()) {
      gen.writeNumber(s); // as written in the file: no precision or format lost
      return;
    }
    try {
      gen.writeNumber(
          new BigDecimal(s).toString()); // valid DS/IS that JSON spells differently: "+7", ".5"
    } catch (NumberFormatException e) {
      gen.writeString(
          s); // not a number at all: kept verbatim rather than lost (F.2.3 allows String)
    }
  }

  private void writePersonNames(String[] values) throws IOException {
    String[][] names = new String[values.length][];
    boolean any = false;
    for (int i = 0; i < values.length; i++) {
      names[i] = values[i] == null ? null : PersonNames.groups(values[i]);
      any |= names[i] != null;
    }
    if (!any) {
      if (values.length > 1) {
        writeNulls(values.length);
      }
      return;
    }
    gen.writeArrayFieldStart("Value");
    for (String[] groups : names) {
      if (groups == null) {
        gen.writeNull();
        continue;
      }
      gen.writeStartObject();
      for (int g = 0; g < 3; g++) {
        if (!groups[g].isEmpty()) {
          gen.writeStringField(PersonNames.GROUP_NAMES[g], groups[g]);
        }
      }
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private void writeNulls(int n) throws IOException {
    gen.writeArrayFieldStart("Value");
    for (int i = 0; i < n; i++) {
      gen.writeNull();
    }
    gen.writeEndArray();
  }

  private static boolean allEmpty(String[] values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ binary numbers

  /**
   * Values are little-endian in the model; a trailing partial value (malformed length) is not
   * written.
   */
  private void writeBinaryNumbers(VR vr, byte[] b) throws IOException {
    int unit = vr == VR.AT ? 4 : vr.unitSize();
    int n = b.length / unit;
    if (n == 0) {
      return;
    }
    gen.writeArrayFieldStart("Value");
    for (int i = 0; i < n; i++) {
      int off = i * unit;
      switch (vr) {
        case US -> gen.writeNumber(ByteUtil.uint16(b, off));
        case SS -> gen.writeNumber((short) ByteUtil.uint16(b, off));
        case UL -> gen.writeNumber(ByteUtil.int32(b, off) & 0xFFFFFFFFL);
        case SL -> gen.writeNumber(ByteUtil.int32(b, off));
        case SV -> gen.writeNumber(ByteUtil.int64(b, off));
        case UV -> writeUnsigned64(ByteUtil.int64(b, off));
        case FL -> writeFloat(Float.intBitsToFloat(ByteUtil.int32(b, off)));
        case FD -> writeDouble(Double.longBitsToDouble(ByteUtil.int64(b, off)));
        case AT ->
            gen.writeString(hex((ByteUtil.uint16(b, off) << 16) | ByteUtil.uint16(b, off + 2)));
        default -> throw new IllegalStateException(vr.name());
      }
    }
    gen.writeEndArray();
  }

  private void writeUnsigned64(long v) throws IOException {
    if (v >= 0) {
      gen.writeNumber(v);
    } else {
      gen.writeNumber(new BigInteger(Long.toUnsignedString(v)));
    }
  }

  private void writeFloat(float f) throws IOException {
    if (Float.isFinite(f)) {
      gen.writeNumber(
          plain(Float.toString(f), Math.abs(f))); // shortest text that reads back as this float
    } else {
      gen.writeString(nonFinite(f));
    }
  }

  private void writeDouble(double d) throws IOException {
    if (Double.isFinite(d)) {
      gen.writeNumber(plain(Double.toString(d), Math.abs(d)));
    } else {
      gen.writeString(nonFinite(d));
    }
  }

  /**
   * Java writes 8.62399761111079E8 and 1.0; like JavaScript, use plain digits between 1e-6 and 1e21
   * and no ".0" on integers (862399761.111079, 1): the same value, as people and dcm2json write it.
   */
  static String plain(String javaText, double magnitude) {
    if (javaText.indexOf('E') >= 0) {
      return magnitude < 1e-6 || magnitude >= 1e21
          ? javaText
          : new BigDecimal(javaText).toPlainString();
    }
    return javaText.endsWith(".0") ? javaText.substring(0, javaText.length() - 2) : javaText;
  }

  static String nonFinite(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  // ------------------------------------------------------------------ bulk data

  private void writeBulk(int tag, VR vr, byte[] bytes, Fragments fragments) throws IOException {
    if (bulkDataMode == BulkDataMode.URI) {
      String p = path.isEmpty() ? hex(tag) : String.join("/", path) + "/" + hex(tag);
      long length = bytes != null ? bytes.length : -1;
      String uri = bulkDataUris.uriFor(new BulkDataElement(p, tag, vr, length, fragments != null));
      if (uri != null) {
        gen.writeStringField("BulkDataURI", uri);
        return;
      }
    }
    gen.writeFieldName("InlineBinary");
    if (bytes != null) {
      gen.writeBinary(bytes);
    } else {
      long length = encapsulatedLength(fragments);
      if (length > Integer.MAX_VALUE) {
        throw new IOException(Tag.toString(tag) + ": encapsulated value too large to inline");
      }
      gen.writeBinary(encapsulatedValueField(fragments), (int) length);
    }
  }

  /**
   * The PS3.5 A.4 value field of encapsulated pixel data: items (8-byte header each) and the
   * delimiter.
   */
  static InputStream encapsulatedValueField(Fragments fragments) {
    List<InputStream> parts = new ArrayList<>(fragments.size() * 2 + 1);
    for (byte[] item : fragments.items()) {
      byte[] header = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
      ByteUtil.putInt32(header, 4, item.length);
      parts.add(new ByteArrayInputStream(header));
      parts.add(new ByteArrayInputStream(item));
    }
    parts.add(new ByteArrayInputStream(SEQUENCE_DELIMITER));
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  static long encapsulatedLength(Fragments fragments) {
    return fragments.byteCount() + 8L * fragments.size() + SEQUENCE_DELIMITER.length;
  }

  static String hex(int tag) {
    String h = Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
    return h.length() == 8 ? h : "00000000".substring(h.length()) + h;
  }
}
