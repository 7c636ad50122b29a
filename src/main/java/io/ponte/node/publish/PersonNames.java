package io.ponte.node.publish;

import io.ponte.fhir.PublishedResources;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.HumanName;

/**
 * DICOM PN ({@code Family^Given^Middle^Prefix^Suffix}, component groups separated by {@code =}:
 * alphabetic, ideographic, phonetic; PS3.5 6.2.1) to FHIR HumanNames. The first non-empty group is
 * the name (the alphabetic one when present, else the ideographic): the one the hub shows and
 * matches identities on. Each later non-empty group is one more HumanName marked with its
 * representation, so the hub can find the study by it too (QIDO-RS PatientName matches any group).
 */
final class PersonNames {

  static final String REPRESENTATION = PublishedResources.NAME_REPRESENTATION;

  /** The representation code (EntityNameRepresentation) of each component group, in order. */
  private static final String[] GROUP_CODES = {"ABC", "IDE", "SYL"};

  private PersonNames() {}

  /** Null when the value holds no name at all. */
  static HumanName humanName(String pn) {
    List<HumanName> names = humanNames(pn);
    return names.isEmpty() ? null : names.get(0);
  }

  /**
   * The first non-empty group as {@link #humanName}, then each later non-empty group with its
   * representation extension; empty when the value holds no name.
   */
  static List<HumanName> humanNames(String pn) {
    List<HumanName> names = new ArrayList<>();
    if (pn == null) {
      return names;
    }
    String[] groups = pn.split("=", -1);
    for (int g = 0; g < groups.length; g++) {
      if (groups[g].replace("^", "").isBlank()) {
        continue;
      }
      if (!names.isEmpty() && g >= GROUP_CODES.length) {
        break; // PN has three groups at most: a fourth is not a representation of the name
      }
      HumanName name = name(groups[g]);
      if (!names.isEmpty()) {
        name.addExtension(REPRESENTATION, new CodeType(GROUP_CODES[g]));
      }
      names.add(name);
    }
    return names;
  }

  private static HumanName name(String group) {
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
