package io.ponte.node.publish;

import java.util.Arrays;
import org.hl7.fhir.r4.model.HumanName;

/**
 * DICOM PN ({@code Family^Given^Middle^Prefix^Suffix}, component groups separated by {@code =}) to
 * a FHIR HumanName. The first non-empty group is used: the alphabetic one when present, else the
 * ideographic.
 */
final class PersonNames {

  private PersonNames() {}

  /** Null when the value holds no name at all. */
  static HumanName humanName(String pn) {
    if (pn == null) {
      return null;
    }
    String group =
        Arrays.stream(pn.split("=", -1))
            .filter(g -> !g.replace("^", "").isBlank())
            .findFirst()
            .orElse(null);
    if (group == null) {
      return null;
    }
    String[] parts = group.split("\\^", -1);
    HumanName name = new HumanName();
    String family = part(parts, 0);
    if (family != null) {
      name.setFamily(family);
    }
    for (int i : new int[] {1, 2}) {
      String given = part(parts, i);
      if (given != null) {
        name.addGiven(given);
      }
    }
    if (part(parts, 3) != null) {
      name.addPrefix(part(parts, 3));
    }
    if (part(parts, 4) != null) {
      name.addSuffix(part(parts, 4));
    }
    name.setText(name.getNameAsSingleString());
    return name;
  }

  private static String part(String[] parts, int index) {
    if (index >= parts.length) {
      return null;
    }
    String value = parts[index].trim();
    return value.isEmpty() ? null : value;
  }
}
