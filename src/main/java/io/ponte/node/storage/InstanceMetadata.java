package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.json.BulkDataMode;
import io.ponte.dicom.json.DicomJsonWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The {@code metadata} column: an instance's DICOM JSON (PS3.18 Annex F) without bulk data, written
 * from the header the store parsed (everything before Pixel Data), so WADO-RS /metadata never
 * re-reads the objects.
 */
@ApplicationScoped
public class InstanceMetadata {

  public String json(Attributes header) {
    StringWriter out = new StringWriter();
    try (DicomJsonWriter writer =
        DicomJsonWriter.builder().bulkData(BulkDataMode.OMIT).build(out)) {
      writer.write(header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
