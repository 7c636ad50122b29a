package io.ponte.dicom.json;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Semantic, element-by-element comparison of two DICOM JSON documents (PS3.18 F.2): same
 * attributes, same VR, same values compared by the VR's meaning (numbers by value, PN by component
 * group, sequences item by item, binary by decoded bytes). Every difference is reported unless an
 * {@link Allowance} justifies it.
 */
final class DicomJsonDiff {

  /** Parses our output: strict JSON, so the test also proves the writer emits valid JSON. */
  static final JsonMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /**
   * Parses dcm2json output. dcm2json copies DS/IS text into JSON numbers verbatim, so "5." or ".5"
   * or "+7" (valid DS, invalid JSON) reach its output; we accept them here to compare the rest.
   */
  static final JsonMapper LENIENT =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  /** Returns the justification when a difference at {@code path} is allowed, else null. */
  @FunctionalInterface
  interface Allowance {
    String justify(String path, String tag, JsonNode dcmtk, JsonNode ours);
  }

  final List<String> differences = new ArrayList<>();
  final List<String> allowed = new ArrayList<>();
  private final Allowance allowance;
  int compared;

  DicomJsonDiff(Allowance allowance) {
    this.allowance = allowance;
  }

  static JsonNode strict(byte[] json) {
    try {
      return STRICT.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode lenient(byte[] json) {
    try {
      return LENIENT.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
    }
  }

  DicomJsonDiff compare(JsonNode dcmtk, JsonNode ours) {
    dataset("", dcmtk, ours);
    return this;
  }

  private void dataset(String prefix, JsonNode dcmtk, JsonNode ours) {
    if (!dcmtk.isObject() || !ours.isObject()) {
      differences.add(prefix + ": item is not an object in both");
      return;
    }
    TreeSet<String> tags = new TreeSet<>();
    dcmtk.fieldNames().forEachRemaining(tags::add);
    ours.fieldNames().forEachRemaining(tags::add);
    assertOrdered(prefix, ours);
    for (String tag : tags) {
      String path = prefix.isEmpty() ? tag : prefix + "." + tag;
      JsonNode a = dcmtk.get(tag);
      JsonNode b = ours.get(tag);
      if (a == null || b == null || !element(path, a, b)) {
        String why = allowance.justify(path, tag, a, b);
        if (why == null) {
          differences.add(path + ": dcmtk " + brief(a) + " but ours " + brief(b));
        } else {
          allowed.add(path + ": " + why);
        }
      } else {
        compared++;
      }
    }
  }

  private void assertOrdered(String prefix, JsonNode ours) {
    String last = "";
    for (Iterator<String> it = ours.fieldNames(); it.hasNext(); ) {
      String tag = it.next();
      if (!tag.matches("[0-9A-F]{8}")) {
        differences.add(prefix + "." + tag + ": key is not 8 uppercase hex digits");
      }
      if (tag.compareTo(last) <= 0) {
        differences.add(prefix + "." + tag + ": keys not in ascending order (after " + last + ")");
      }
      last = tag;
    }
  }

  /**
   * True when the two attribute objects mean the same; nested differences are recorded as found.
   */
  private boolean element(String path, JsonNode a, JsonNode b) {
    String vr = a.path("vr").asText();
    if (!vr.equals(b.path("vr").asText())) {
      return false;
    }
    TreeSet<String> ka = new TreeSet<>();
    a.fieldNames().forEachRemaining(ka::add);
    TreeSet<String> kb = new TreeSet<>();
    b.fieldNames().forEachRemaining(kb::add);
    if (!ka.equals(kb)) {
      return false;
    }
    if (a.has("InlineBinary")) {
      return Arrays.equals(base64(a.get("InlineBinary")), base64(b.get("InlineBinary")));
    }
    if (a.has("BulkDataURI")) {
      return a.get("BulkDataURI").equals(b.get("BulkDataURI"));
    }
    if (!a.has("Value")) {
      return true;
    }
    JsonNode va = a.get("Value");
    JsonNode vb = b.get("Value");
    if (!va.isArray() || !vb.isArray() || va.size() != vb.size()) {
      return false;
    }
    boolean same = true;
    for (int i = 0; i < va.size(); i++) {
      JsonNode x = va.get(i);
      JsonNode y = vb.get(i);
      if (vr.equals("SQ")) {
        dataset(path + "[" + i + "]", x, y); // nested differences are reported (or allowed) there
      } else if (!value(vr, x, y)) {
        same = false;
      }
    }
    return same;
  }

  static boolean value(String vr, JsonNode x, JsonNode y) {
    if (x.isNull() || y.isNull()) {
      return x.isNull() && y.isNull();
    }
    switch (vr) {
      case "DS", "IS", "SL", "SS", "UL", "US", "SV", "UV":
        return x.isNumber() && y.isNumber() && x.decimalValue().compareTo(y.decimalValue()) == 0;
      case "FL":
        return x.isNumber()
            && y.isNumber()
            && Float.compare(Float.parseFloat(text(x)), Float.parseFloat(text(y))) == 0;
      case "FD":
        return x.isNumber()
            && y.isNumber()
            && Double.compare(Double.parseDouble(text(x)), Double.parseDouble(text(y))) == 0;
      case "PN":
        return x.isObject() && x.equals(y);
      default:
        return x.isTextual() && x.equals(y);
    }
  }

  private static String text(JsonNode number) {
    BigDecimal d = number.decimalValue();
    return d.toString();
  }

  static byte[] base64(JsonNode node) {
    return node == null || !node.isTextual() ? null : Base64.getDecoder().decode(node.asText());
  }

  /**
   * True when {@code raw} (the bytes of an element we hold as UN) read with dcmtk's VR gives
   * dcmtk's values: the same data, only typed by a dictionary that knows the tag.
   */
  static boolean sameAsTyped(JsonNode typed, byte[] raw) {
    String vr = typed.path("vr").asText();
    if (typed.has("InlineBinary")) {
      return java.util.Arrays.equals(base64(typed.get("InlineBinary")), raw);
    }
    JsonNode expected = typed.has("Value") ? typed.get("Value") : STRICT.createArrayNode();
    List<JsonNode> actual = new ArrayList<>();
    com.fasterxml.jackson.databind.node.JsonNodeFactory f = STRICT.getNodeFactory();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    switch (vr) {
      case "US" -> {
        while (b.remaining() >= 2) {
          actual.add(f.numberNode(b.getShort() & 0xFFFF));
        }
      }
      case "SS" -> {
        while (b.remaining() >= 2) {
          actual.add(f.numberNode(b.getShort()));
        }
      }
      case "UL" -> {
        while (b.remaining() >= 4) {
          actual.add(f.numberNode(b.getInt() & 0xFFFFFFFFL));
        }
      }
      case "SL" -> {
        while (b.remaining() >= 4) {
          actual.add(f.numberNode(b.getInt()));
        }
      }
      case "FL" -> {
        while (b.remaining() >= 4) {
          actual.add(f.numberNode(new BigDecimal(Float.toString(b.getFloat()))));
        }
      }
      case "FD" -> {
        while (b.remaining() >= 8) {
          actual.add(f.numberNode(new BigDecimal(Double.toString(b.getDouble()))));
        }
      }
      case "AT" -> {
        while (b.remaining() >= 4) {
          actual.add(
              f.textNode(String.format("%04X%04X", b.getShort() & 0xFFFF, b.getShort() & 0xFFFF)));
        }
      }
      default -> {
        String text =
            new String(raw, java.nio.charset.StandardCharsets.UTF_8).replaceAll("[ \\u0000]+$", "");
        boolean single = List.of("LT", "ST", "UT", "UR").contains(vr);
        for (String v : single ? new String[] {text} : text.split("\\\\", -1)) {
          String t = List.of("LT", "ST", "UT", "UC", "UR").contains(vr) ? v : v.strip();
          if (t.isEmpty()) {
            actual.add(f.nullNode());
          } else if (vr.equals("DS") || vr.equals("IS")) {
            actual.add(f.numberNode(new BigDecimal(t.startsWith("+") ? t.substring(1) : t)));
          } else if (vr.equals("PN")) {
            String[] g = PersonNames.groups(t);
            com.fasterxml.jackson.databind.node.ObjectNode pn = f.objectNode();
            for (int k = 0; g != null && k < 3; k++) {
              if (!g[k].isEmpty()) {
                pn.put(PersonNames.GROUP_NAMES[k], g[k]);
              }
            }
            actual.add(g == null ? f.nullNode() : pn);
          } else {
            actual.add(f.textNode(t));
          }
        }
        if (actual.size() == 1 && actual.get(0).isNull()) {
          actual.clear();
        }
      }
    }
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < actual.size(); i++) {
      JsonNode x = expected.get(i);
      JsonNode y = actual.get(i);
      boolean floating = vr.equals("FD") && x.isNumber() && y.isNumber();
      // dcm2json's float formatting can be off in the last digit (see DcmtkComparisonTest.justify)
      if (floating
          ? Math.abs(x.doubleValue() - y.doubleValue()) > 4 * Math.ulp(y.doubleValue())
          : !value(vr, x, y)) {
        return false;
      }
    }
    return true;
  }

  private static String brief(JsonNode n) {
    if (n == null) {
      return "(absent)";
    }
    String s = n.toString();
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
