package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import io.ponte.dicom.json.PersonNames;
import io.ponte.hub.registry.StudySummary;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * DICOM JSON (PS3.18 F.2) values for QIDO-RS answers built from the registry's records (dates,
 * times, sex and person names in their DICOM forms). The elements themselves are written by the
 * role-neutral {@link io.ponte.dicomweb.DicomJson}.
 */
final class RegistryDicomJson {

  static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private RegistryDicomJson() {}

  static String date(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DA);
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(TM);
  }

  static String sex(String gender) {
    if (gender == null) {
      return null;
    }
    return switch (gender) {
      case "female" -> "F";
      case "male" -> "M";
      case "other" -> "O";
      default -> null;
    };
  }

  /**
   * A PN value of component groups (PS3.5 6.2.1): the name, then its ideographic and phonetic
   * groups when known; trailing empty groups left out. Null when all are.
   */
  static String personName(
      String alphabetic, StudySummary.Name ideographic, StudySummary.Name phonetic) {
    String pn =
        PersonNames.join(
            alphabetic,
            ideographic == null ? null : personName(ideographic.family(), ideographic.given()),
            phonetic == null ? null : personName(phonetic.family(), phonetic.given()));
    return pn.isEmpty() ? null : pn;
  }

  static String personName(String family, String given) {
    if (family == null && given == null) {
      return null;
    }
    return (family == null ? "" : family) + (given == null || given.isBlank() ? "" : "^" + given);
  }
}
