package io.ponte.node.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicomweb.DicomJson;
import io.ponte.node.index.QidoAttribute;
import io.ponte.node.index.QidoLevel;
import io.ponte.node.index.QidoQuery;
import io.ponte.node.index.QidoRow;
import io.ponte.text.Urls;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams QIDO-RS matches as a DICOM JSON array, one at a time as the index's cursor yields them,
 * so a large result is never held in memory. Elements are written in tag order, as PS3.18 F.2 asks.
 * Nothing is written before the first match (or {@link #finish()}), so a query that fails at once
 * leaves the response untouched.
 */
final class QidoResultWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final QidoQuery query;
  private final String baseUrl;
  private final OutputStream out;
  private JsonGenerator g;
  private long written;

  QidoResultWriter(QidoQuery query, String baseUrl, OutputStream out) {
    this.query = query;
    this.baseUrl = Urls.withoutTrailingSlash(baseUrl);
    this.out = out;
  }

  void write(QidoRow row) throws IOException {
    start();
    writeRow(row);
    if (++written % 100 == 0) {
      g.flush();
    }
  }

  /** Ends the array: every match was written. */
  void finish() throws IOException {
    start();
    g.writeEndArray();
    g.close();
  }

  /** After a failure: closes what was started (the generator closes its open JSON content). */
  void abandon() throws IOException {
    if (g != null) {
      g.close();
    }
  }

  private void start() throws IOException {
    if (g == null) {
      g = JSON.createGenerator(out);
      g.writeStartArray();
    }
  }

  private void writeRow(QidoRow row) throws IOException {
    // Catalogue values, the RetrieveURL and metadata members, merged by tag.
    TreeMap<String, Object> elements = new TreeMap<>();
    for (QidoAttribute a : query.returned().values()) {
      elements.put(a.tag(), a);
    }
    elements.put(QidoAttribute.RETRIEVE_URL, retrieveUrl(row));
    if (row.metadataJson() != null) {
      Iterator<Map.Entry<String, JsonNode>> fields = MAPPER.readTree(row.metadataJson()).fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!isBulkData(f.getValue())) {
          elements.putIfAbsent(f.getKey(), withoutBulkData(f.getValue()));
        }
      }
    }
    g.writeStartObject();
    for (Map.Entry<String, Object> e : elements.entrySet()) {
      Object v = e.getValue();
      if (v instanceof QidoAttribute a) {
        DicomJson.element(g, a.tag(), a.vr(), row.values().get(a.tag()));
      } else if (v instanceof JsonNode node) {
        g.writeFieldName(e.getKey());
        MAPPER.writeTree(g, node);
      } else {
        DicomJson.element(g, e.getKey(), "UR", v);
      }
    }
    g.writeEndObject();
  }

  /** QIDO-RS answers carry no bulk data (PS3.18 10.6.3.3): its elements are left out. */
  private static boolean isBulkData(JsonNode element) {
    return element.has("BulkDataURI") || element.has("InlineBinary");
  }

  /** A sequence element with its items' bulk data elements left out, at any depth. */
  private static JsonNode withoutBulkData(JsonNode element) {
    JsonNode items = element.get("Value");
    if (!"SQ".equals(element.path("vr").asText()) || items == null || !items.isArray()) {
      return element;
    }
    for (JsonNode item : items) {
      if (item instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.properties().removeIf(e -> isBulkData(e.getValue()));
        o.properties().forEach(e -> withoutBulkData(e.getValue()));
      }
    }
    return element;
  }

  private String retrieveUrl(QidoRow row) {
    StringBuilder url =
        new StringBuilder(baseUrl).append("/dicomweb/studies/").append(row.studyUid());
    if (query.level() != QidoLevel.STUDY) {
      url.append("/series/").append(row.seriesUid());
    }
    if (query.level() == QidoLevel.INSTANCE) {
      url.append("/instances/").append(row.instanceUid());
    }
    return url.toString();
  }
}
