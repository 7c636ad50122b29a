package io.ponte.hub.registry;

import io.ponte.dicomweb.QidoMatching;
import io.ponte.text.NameFolding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The literal prefixes of a PatientName match as index ranges {@code [from, to)} in byte order: the
 * whole folded key's prefix ({@code silva*} on {@code patient.name_search}) or, fuzzy, each word's
 * ({@code patient_name_word.word}). A range, unlike {@code LIKE ?}, is usable by an index in a
 * prepared statement's generic plan (PostgreSQL turns LIKE into a range only for a pattern known
 * when planning). Ranges only pre-filter: the LIKE condition still decides.
 */
final class NamePrefixes {

  private NamePrefixes() {}

  /** The folded value a PatientName matches on name_search, wildcards still DICOM's. */
  static String pattern(StudyMatch.PatientName name) {
    String value = NameFolding.fold(name.value());
    return name.fuzzy() || value.contains("^") || QidoMatching.hasWildcard(value)
        ? value
        : value + "^*";
  }

  /**
   * Whether the value matches any component group of a name (PS3.4 C.2.2.2.1): it names none itself
   * (no '='), so the patient's other names (ideographic, phonetic) are searched too.
   */
  static boolean anyGroup(StudyMatch.PatientName name) {
    return name.value().indexOf('=') < 0;
  }

  /** The words fuzzy matching looks for at a word start (as {@link QidoMatching#fuzzyName}). */
  static List<String> words(StudyMatch.PatientName name) {
    List<String> words = new ArrayList<>();
    for (String word : pattern(name).toLowerCase(Locale.ROOT).split("[\\s^=,]+")) {
      if (!word.isEmpty() && !word.equals("*")) {
        words.add(word);
      }
    }
    return words;
  }

  /**
   * One range per word (fuzzy) or one for the key; none where a literal prefix is empty or has no
   * successor (the name is then matched row by row).
   */
  static List<String[]> ranges(StudyMatch.PatientName name) {
    List<String[]> ranges = new ArrayList<>();
    if (name.fuzzy()) {
      for (String word : words(name)) {
        String[] range = range(literal(word.replace("*", "")));
        if (range != null) {
          ranges.add(range);
        }
      }
    } else {
      String[] range = range(literal(pattern(name)));
      if (range != null) {
        ranges.add(range);
      }
    }
    return ranges;
  }

  /**
   * The patients having a word in every one of {@code ranges} (index-only scans of
   * patient_name_word, intersected), each range's bounds added to {@code args}.
   */
  static String patientsWithWords(List<String[]> ranges, List<Object> args) {
    List<String> words = new ArrayList<>();
    for (String[] range : ranges) {
      words.add("select w.patient_id from patient_name_word w where w.word >= ? and w.word < ?");
      args.add(range[0]);
      args.add(range[1]);
    }
    return String.join(" intersect ", words);
  }

  /** The part before the first wildcard. */
  private static String literal(String value) {
    int end = value.length();
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '*' || ch == '?') {
        end = i;
        break;
      }
    }
    return value.substring(0, end);
  }

  /**
   * {@code [prefix, successor)}: the successor increments the last character, which for UTF-8 byte
   * order (collation "C", text_pattern_ops) bounds every string starting with the prefix.
   */
  static String[] range(String prefix) {
    if (prefix.isEmpty()) {
      return null;
    }
    char last = prefix.charAt(prefix.length() - 1);
    if (Character.isSurrogate(last) || last >= Character.MIN_SURROGATE - 1) {
      return null;
    }
    return new String[] {prefix, prefix.substring(0, prefix.length() - 1) + (char) (last + 1)};
  }
}
