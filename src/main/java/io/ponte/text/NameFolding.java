package io.ponte.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Person names folded for searching: accents dropped and lower case, so that {@code Gonçalves},
 * {@code goncalves} and {@code GONCALVES} are one key. Folded in Java (not with PostgreSQL's {@code
 * unaccent}, which needs an extension the application role may not be allowed to create), so stored
 * keys and query values fold the same way.
 */
public final class NameFolding {

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private NameFolding() {}

  /** The folded form of {@code value}; null stays null. */
  public static String fold(String value) {
    if (value == null) {
      return null;
    }
    String decomposed = Normalizer.normalize(value, Normalizer.Form.NFKD);
    String bare = MARKS.matcher(decomposed).replaceAll("");
    // Letters that do not decompose into a base letter and a mark.
    bare =
        bare.replace("ß", "ss")
            .replace("ø", "o")
            .replace("Ø", "O")
            .replace("æ", "ae")
            .replace("Æ", "AE")
            .replace("œ", "oe")
            .replace("Œ", "OE")
            .replace("ł", "l")
            .replace("Ł", "L")
            .replace("đ", "d")
            .replace("Đ", "D");
    return bare.toLowerCase(Locale.ROOT);
  }

  /**
   * The search key of a name as DICOM writes it ({@code family^given}): both parts folded, so a
   * DICOM PatientName pattern folded the same way matches it with LIKE.
   */
  public static String key(String family, String given) {
    return fold(family == null ? "" : family) + "^" + fold(given == null ? "" : given);
  }
}
