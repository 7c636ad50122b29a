package io.ponte.node.ingest.stow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ponte.dicom.Tag;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link StowOutcome} as the Store Instances Response Module: DICOM JSON (PS3.18 Annex F)
 * or the Native DICOM Model XML (PS3.19). The document is small (a few UIDs per part), so it is
 * built in memory.
 */
final class StowResponseWriter {

  static final String DICOM_JSON = "application/dicom+json";
  static final String DICOM_XML = "application/dicom+xml";

  private static final JsonFactory JSON = new JsonFactory();
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  private StowResponseWriter() {}

  static String json(StowOutcome outcome) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      jsonString(g, Tag.RetrieveURL, "UR", outcome.retrieveUrl());
      if (!outcome.failed().isEmpty()) {
        g.writeObjectFieldStart(hex(Tag.FailedSOPSequence));
        g.writeStringField("vr", "SQ");
        g.writeArrayFieldStart("Value");
        for (StowOutcome.Failed f : outcome.failed()) {
          g.writeStartObject();
          jsonString(g, Tag.ReferencedSOPClassUID, "UI", f.sopClassUid());
          jsonString(g, Tag.ReferencedSOPInstanceUID, "UI", f.sopInstanceUid());
          g.writeObjectFieldStart(hex(Tag.FailureReason));
          g.writeStringField("vr", "US");
          g.writeArrayFieldStart("Value");
          g.writeNumber(f.failureReason());
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      if (!outcome.stored().isEmpty()) {
        g.writeObjectFieldStart(hex(Tag.ReferencedSOPSequence));
        g.writeStringField("vr", "SQ");
        g.writeArrayFieldStart("Value");
        for (StowOutcome.Stored s : outcome.stored()) {
          g.writeStartObject();
          jsonString(g, Tag.ReferencedSOPClassUID, "UI", s.sopClassUid());
          jsonString(g, Tag.ReferencedSOPInstanceUID, "UI", s.sopInstanceUid());
          jsonString(g, Tag.RetrieveURL, "UR", s.retrieveUrl());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** An attribute with one value, or an empty one (type 2) when the value is unknown. */
  private static void jsonString(JsonGenerator g, int tag, String vr, String value)
      throws IOException {
    g.writeObjectFieldStart(hex(tag));
    g.writeStringField("vr", vr);
    if (value != null) {
      g.writeArrayFieldStart("Value");
      g.writeString(value);
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  static String xml(StowOutcome outcome) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XML.createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("NativeDicomModel");
      w.writeDefaultNamespace("http://dicom.nema.org/PS3.19/models/NativeDICOM");
      xmlString(w, Tag.RetrieveURL, "UR", "RetrieveURL", outcome.retrieveUrl());
      if (!outcome.failed().isEmpty()) {
        startSequence(w, Tag.FailedSOPSequence, "FailedSOPSequence");
        int n = 1;
        for (StowOutcome.Failed f : outcome.failed()) {
          w.writeStartElement("Item");
          w.writeAttribute("number", Integer.toString(n++));
          xmlString(w, Tag.ReferencedSOPClassUID, "UI", "ReferencedSOPClassUID", f.sopClassUid());
          xmlString(
              w,
              Tag.ReferencedSOPInstanceUID,
              "UI",
              "ReferencedSOPInstanceUID",
              f.sopInstanceUid());
          xmlString(
              w, Tag.FailureReason, "US", "FailureReason", Integer.toString(f.failureReason()));
          w.writeEndElement();
        }
        w.writeEndElement();
      }
      if (!outcome.stored().isEmpty()) {
        startSequence(w, Tag.ReferencedSOPSequence, "ReferencedSOPSequence");
        int n = 1;
        for (StowOutcome.Stored s : outcome.stored()) {
          w.writeStartElement("Item");
          w.writeAttribute("number", Integer.toString(n++));
          xmlString(w, Tag.ReferencedSOPClassUID, "UI", "ReferencedSOPClassUID", s.sopClassUid());
          xmlString(
              w,
              Tag.ReferencedSOPInstanceUID,
              "UI",
              "ReferencedSOPInstanceUID",
              s.sopInstanceUid());
          xmlString(w, Tag.RetrieveURL, "UR", "RetrieveURL", s.retrieveUrl());
          w.writeEndElement();
        }
        w.writeEndElement();
      }
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static void startSequence(XMLStreamWriter w, int tag, String keyword)
      throws XMLStreamException {
    w.writeStartElement("DicomAttribute");
    w.writeAttribute("tag", hex(tag));
    w.writeAttribute("vr", "SQ");
    w.writeAttribute("keyword", keyword);
  }

  private static void xmlString(XMLStreamWriter w, int tag, String vr, String keyword, String value)
      throws XMLStreamException {
    w.writeStartElement("DicomAttribute");
    w.writeAttribute("tag", hex(tag));
    w.writeAttribute("vr", vr);
    w.writeAttribute("keyword", keyword);
    if (value != null) {
      w.writeStartElement("Value");
      w.writeAttribute("number", "1");
      w.writeCharacters(value);
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  private static String hex(int tag) {
    return String.format("%08X", tag);
  }
}
