package io.ponte.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes single DICOM JSON elements (PS3.18 F.2) from index values: the node's QIDO answers from
 * its index, the hub's from its registry.
 */
public final class DicomJson {

  private DicomJson() {}

  /**
   * {@code "tag": {"vr": vr, "Value": [...]}}, or without Value when {@code value} is null or
   * empty.
   */
  public static void element(JsonGenerator g, String tag, String vr, Object value)
      throws IOException {
    g.writeObjectFieldStart(tag);
    g.writeStringField("vr", vr);
    if (value != null && !(value instanceof String s && s.isEmpty())) {
      g.writeArrayFieldStart("Value");
      switch (vr) {
        case "PN" -> personName(g, value.toString());
        case "IS", "US", "UL", "SS", "SL" -> {
          if (value instanceof Number n) {
            g.writeNumber(n.longValue());
          } else {
            g.writeNumber(Long.parseLong(value.toString().trim()));
          }
        }
        case "CS" -> {
          for (String v : value.toString().split("\\\\")) {
            g.writeString(v);
          }
        }
        default -> g.writeString(value.toString());
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** "Alphabetic=Ideographic=Phonetic" component groups as a PN object. */
  public static void personName(JsonGenerator g, String pn) throws IOException {
    for (String value : pn.split("\\\\")) {
      String[] groups = value.split("=", -1);
      g.writeStartObject();
      String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
      for (int i = 0; i < Math.min(3, groups.length); i++) {
        if (!groups[i].isEmpty()) {
          g.writeStringField(names[i], groups[i]);
        }
      }
      g.writeEndObject();
    }
  }
}
