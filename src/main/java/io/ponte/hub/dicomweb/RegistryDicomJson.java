package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * DICOM JSON (PS3.18 F.2) for QIDO-RS answers built from the registry: the study row and its
 * patient, and the series and instances listed in the stored FHIR ImagingStudy. Every RetrieveURL
 * names the hub. The elements themselves are written by the role-neutral {@link
 * io.ponte.dicomweb.DicomJson}.
 */
final class RegistryDicomJson {

  static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private RegistryDicomJson() {}

  /**
   * What QIDO needs from an ImagingStudy's JSON, read without building a tree (series are skipped).
   */
  record StudyFacts(
      String description, Integer numberOfSeries, Integer numberOfInstances, String accession) {

    static StudyFacts read(String imagingStudyJson) throws IOException {
      String description = null;
      Integer series = null;
      Integer instances = null;
      String accession = null;
      try (JsonParser p = JSON.createParser(imagingStudyJson)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "description" -> description = p.getValueAsString();
            case "numberOfSeries" -> series = p.getValueAsInt();
            case "numberOfInstances" -> instances = p.getValueAsInt();
            case "identifier" -> accession = accession(p);
            default -> {
              if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
              }
            }
          }
        }
      }
      return new StudyFacts(description, series, instances, accession);
    }

    /** The identifier whose type is ACSN (FHIR ImagingStudy accession number convention). */
    private static String accession(JsonParser p) throws IOException {
      String found = null;
      JsonNode identifiers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p);
      for (JsonNode id : identifiers) {
        for (JsonNode coding : id.path("type").path("coding")) {
          if ("ACSN".equals(coding.path("code").asText())) {
            found = id.path("value").asText(null);
          }
        }
      }
      return found;
    }
  }

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

  /** "urn:oid:1.2.3" -> "1.2.3" (FHIR codes SOP classes as OIDs). */
  static String oid(String value) {
    return value != null && value.startsWith("urn:oid:") ? value.substring(8) : value;
  }
}
