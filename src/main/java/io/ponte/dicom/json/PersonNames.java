package io.ponte.dicom.json;

/**
 * Person Name values (PS3.5 6.2.1) as the JSON model's component groups:
 * "Alphabetic=Ideographic=Phonetic".
 */
public final class PersonNames {

  static final String[] GROUP_NAMES = {"Alphabetic", "Ideographic", "Phonetic"};

  private PersonNames() {}

  /**
   * The three groups of one PN value, each without trailing '^' and spaces (trailing empty
   * components are insignificant, PS3.5 6.2.1) nor leading spaces; null when all three are empty.
   */
  static String[] groups(String value) {
    String[] out = {"", "", ""};
    String[] parts = value.split("=", 3);
    boolean any = false;
    for (int g = 0; g < parts.length; g++) {
      out[g] = trim(parts[g]);
      any |= !out[g].isEmpty();
    }
    return any ? out : null;
  }

  private static String trim(String group) {
    int end = group.length();
    while (end > 0 && (group.charAt(end - 1) == '^' || group.charAt(end - 1) == ' ')) {
      end--;
    }
    int start = 0;
    while (start < end && group.charAt(start) == ' ') {
      start++;
    }
    return group.substring(start, end);
  }

  /**
   * One DICOM PN value from its groups (any may be null or empty); trailing empty groups are
   * dropped.
   */
  public static String join(String alphabetic, String ideographic, String phonetic) {
    String[] g = {nz(alphabetic), nz(ideographic), nz(phonetic)};
    int last = 2;
    while (last >= 0 && g[last].isEmpty()) {
      last--;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      if (i > 0) {
        sb.append('=');
      }
      sb.append(g[i]);
    }
    return sb.toString();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
