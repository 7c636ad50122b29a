package io.ponte.hub.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.fhir.IdentifierSystems;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what searches need from a stored ImagingStudy's JSON (the registry's {@code resource_json})
 * without HAPI: the study-level facts in one streaming pass, the series and instances as a tree.
 */
final class StoredStudyJson {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoredStudyJson() {}

  /** What a study-level answer needs, read without building a tree (series are skipped). */
  record Facts(
      String description, Integer numberOfSeries, Integer numberOfInstances, String accession) {}

  static Facts facts(String imagingStudyJson) throws IOException {
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
    return new Facts(description, series, instances, accession);
  }

  /** The identifier whose type is ACSN (FHIR ImagingStudy accession number convention). */
  private static String accession(JsonParser p) throws IOException {
    String found = null;
    JsonNode identifiers = MAPPER.readTree(p);
    for (JsonNode id : identifiers) {
      for (JsonNode coding : id.path("type").path("coding")) {
        if ("ACSN".equals(coding.path("code").asText())) {
          found = id.path("value").asText(null);
        }
      }
    }
    return found;
  }

  /** The series and their instances, in the order the ImagingStudy lists them. */
  static List<RegisteredStudy.Series> series(String imagingStudyJson) throws IOException {
    List<RegisteredStudy.Series> result = new ArrayList<>();
    for (JsonNode series : MAPPER.readTree(imagingStudyJson).path("series")) {
      List<RegisteredStudy.Instance> instances = new ArrayList<>();
      for (JsonNode instance : series.path("instance")) {
        instances.add(
            new RegisteredStudy.Instance(
                instance.path("uid").asText(),
                oid(instance.path("sopClass").path("code").asText(null)),
                instance.has("number") ? instance.path("number").asInt() : null));
      }
      result.add(
          new RegisteredStudy.Series(
              series.path("uid").asText(),
              series.path("modality").path("code").asText(null),
              series.path("description").asText(null),
              series.has("number") ? series.path("number").asInt() : null,
              series.has("numberOfInstances")
                  ? series.path("numberOfInstances").asInt()
                  : series.path("instance").size(),
              instances));
    }
    return result;
  }

  /** "urn:oid:1.2.3" -> "1.2.3" (FHIR codes SOP classes as OIDs). */
  private static String oid(String value) {
    return value != null && value.startsWith(IdentifierSystems.OID_PREFIX)
        ? value.substring(IdentifierSystems.OID_PREFIX.length())
        : value;
  }
}
