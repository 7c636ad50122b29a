package io.ponte.node.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Coding;

/**
 * A series' Body Part Examined (0018,0015) as ImagingStudy.series.bodySite. A defined term carries
 * the SNOMED CT code and meaning DICOM PS3.16 Annex L gives it ({@code body-parts.tsv}, the whole
 * table); any other well-formed term is kept as the display of an uncoded Coding (the binding is an
 * example, and the term is what the modality wrote), so that no body part is lost for want of a
 * code.
 */
final class BodyParts {

  static final String SNOMED = "http://snomed.info/sct";

  static final String RESOURCE = "body-parts.tsv";

  /** CS: upper case, digits, space and underscore, at most 16 characters. */
  private static final Pattern TERM = Pattern.compile("[A-Z0-9_ ]{1,16}");

  /** Annex L's terms: a SNOMED CT Coding, or a display alone where Annex L gives no code. */
  private static final Map<String, Coding> ANNEX_L = read();

  private BodyParts() {}

  /** The Coding for {@code bodyPartExamined}, or null when there is none worth showing. */
  static Coding bodySite(String bodyPartExamined) {
    if (bodyPartExamined == null) {
      return null;
    }
    String term = bodyPartExamined.strip().toUpperCase(Locale.ROOT);
    if (!TERM.matcher(term).matches()) {
      return null;
    }
    Coding known = ANNEX_L.get(term);
    return known != null ? known.copy() : new Coding().setDisplay(term);
  }

  /** How many defined terms the table holds. */
  static int size() {
    return ANNEX_L.size();
  }

  private static Map<String, Coding> read() {
    Map<String, Coding> terms = new HashMap<>();
    try (InputStream in = BodyParts.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("body part table missing: " + RESOURCE);
      }
      new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .forEach(line -> add(terms, line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(terms);
  }

  private static void add(Map<String, Coding> terms, String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 3 || !TERM.matcher(f[0]).matches() || f[2].isBlank()) {
      throw new IllegalStateException("malformed body part row: " + line);
    }
    Coding coding = f[1].isEmpty() ? new Coding().setDisplay(f[2]) : new Coding(SNOMED, f[1], f[2]);
    if (terms.putIfAbsent(f[0], coding) != null) {
      throw new IllegalStateException("body part term listed twice: " + f[0]);
    }
  }
}
