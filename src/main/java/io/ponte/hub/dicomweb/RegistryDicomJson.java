package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
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

  static String personName(String family, String given) {
    if (family == null && given == null) {
      return null;
    }
    return (family == null ? "" : family) + (given == null || given.isBlank() ? "" : "^" + given);
  }
}
