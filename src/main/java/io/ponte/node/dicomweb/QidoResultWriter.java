package io.ponte.node.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicomweb.DicomJson;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams QIDO-RS rows as a DICOM JSON array, one row at a time from an open cursor, so a large
 * result is never held in memory. Elements are written in tag order, as PS3.18 F.2 asks.
 */
final class QidoResultWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final QidoQuery query;
  private final String baseUrl;

  QidoResultWriter(QidoQuery query, String baseUrl) {
    this.query = query;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  void write(ResultSet rs, OutputStream out) throws IOException, SQLException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      while (rs.next()) {
        writeRow(rs, g);
        if (rs.getRow() % 100 == 0) {
          g.flush();
        }
      }
      g.writeEndArray();
    }
  }

  private void writeRow(ResultSet rs, JsonGenerator g) throws IOException, SQLException {
    // Catalogue values, the RetrieveURL and metadata members, merged by tag.
    TreeMap<String, Object> elements = new TreeMap<>();
    for (QidoAttribute a : query.returned().values()) {
      elements.put(a.tag(), a);
    }
    elements.put(QidoAttribute.RETRIEVE_URL, retrieveUrl(rs));
    String metadata =
        query.allMetadata()
            ? rs.getString("m_all")
            : query.metadataTags().isEmpty() ? null : rs.getString("m_some");
    if (metadata != null) {
      Iterator<Map.Entry<String, JsonNode>> fields = MAPPER.readTree(metadata).fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        elements.putIfAbsent(f.getKey(), f.getValue());
      }
    }
    g.writeStartObject();
    for (Map.Entry<String, Object> e : elements.entrySet()) {
      Object v = e.getValue();
      if (v instanceof QidoAttribute a) {
        DicomJson.element(g, a.tag(), a.vr(), rs.getObject("a_" + a.tag()));
      } else if (v instanceof JsonNode node) {
        g.writeFieldName(e.getKey());
        MAPPER.writeTree(g, node);
      } else {
        DicomJson.element(g, e.getKey(), "UR", v);
      }
    }
    g.writeEndObject();
  }

  private String retrieveUrl(ResultSet rs) throws SQLException {
    StringBuilder url =
        new StringBuilder(baseUrl).append("/dicomweb/studies/").append(rs.getString("k_study"));
    if (query.level() != QidoLevel.STUDY) {
      url.append("/series/").append(rs.getString("k_series"));
    }
    if (query.level() == QidoLevel.INSTANCE) {
      url.append("/instances/").append(rs.getString("k_instance"));
    }
    return url.toString();
  }
}
