package io.ponte.node.publish;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Coding;

/**
 * A series' Body Part Examined (0018,0015) as ImagingStudy.series.bodySite. A few common terms
 * carry the SNOMED CT code DICOM PS3.16 Annex L (CID 4031) gives them; any other well-formed term
 * is kept as the display of an uncoded Coding (the binding is an example, and the term is what the
 * modality wrote), so that no body part is lost for want of a code. Planned: Annex L's whole table
 * as a generated resource.
 */
final class BodyParts {

  static final String SNOMED = "http://snomed.info/sct";

  /** CS: upper case, digits, space and underscore, at most 16 characters. */
  private static final Pattern TERM = Pattern.compile("[A-Z0-9_ ]{1,16}");

  /** Annex L's SNOMED CT code and display for the common terms. */
  private static final Map<String, Coding> CODED =
      Map.of(
          "ABDOMEN", coded("818981001", "Abdomen"),
          "BRAIN", coded("12738006", "Brain"),
          "CHEST", coded("43799004", "Chest"),
          "HEAD", coded("69536005", "Head"),
          "KNEE", coded("72696002", "Knee"),
          "LSPINE", coded("122496007", "Lumbar spine"));

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
    Coding known = CODED.get(term);
    return known != null ? known.copy() : new Coding().setDisplay(term);
  }

  private static Coding coded(String code, String display) {
    return new Coding(SNOMED, code, display);
  }
}
