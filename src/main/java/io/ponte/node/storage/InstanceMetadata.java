package io.ponte.node.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The {@code metadata} column: an instance's DICOM JSON (PS3.18 Annex F) without bulk data.
 * FALLBACK: the project's DicomJsonWriter (branch codecjson) was not available when this was written, so
 * this maps the indexed attributes only; replace the body of {@link #json} with DicomJsonWriter when merged.
 */
@ApplicationScoped
public class InstanceMetadata {

    private static final JsonFactory JSON = new JsonFactory();

    /** The attributes mapped by the fallback, in tag order. */
    static final int[] TAGS = {
        Tag.SpecificCharacterSet, Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyDate, Tag.StudyTime,
        Tag.AccessionNumber, Tag.Modality, Tag.ReferringPhysicianName, Tag.StudyDescription,
        Tag.SeriesDescription, Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.PatientBirthDate,
        Tag.PatientSex, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.StudyID, Tag.SeriesNumber,
        Tag.InstanceNumber, Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.NumberOfFrames, Tag.Rows,
        Tag.Columns, Tag.BitsAllocated, Tag.BitsStored, Tag.HighBit, Tag.PixelRepresentation,
    };

    public String json(Attributes ds) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int tag : TAGS) {
                if (!ds.contains(tag)) {
                    continue;
                }
                VR vr = ds.getVR(tag);
                String[] values = ds.getStrings(tag);
                g.writeObjectFieldStart(String.format("%08X", tag));
                g.writeStringField("vr", vr.name());
                if (values != null && values.length > 0) {
                    g.writeArrayFieldStart("Value");
                    for (String v : values) {
                        writeValue(g, vr, v);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, VR vr, String v) throws IOException {
        if (v == null || v.isEmpty()) {
            g.writeNull();
            return;
        }
        switch (vr.name()) {
            case "PN" -> {
                g.writeStartObject();
                g.writeStringField("Alphabetic", v);
                g.writeEndObject();
            }
            case "IS", "US", "SS", "UL", "SL" -> {
                try {
                    g.writeNumber(Long.parseLong(v.trim()));
                } catch (NumberFormatException e) {
                    g.writeString(v);
                }
            }
            case "DS", "FL", "FD" -> {
                try {
                    g.writeNumber(Double.parseDouble(v.trim()));
                } catch (NumberFormatException e) {
                    g.writeString(v);
                }
            }
            default -> g.writeString(v);
        }
    }
}
