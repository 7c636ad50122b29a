package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.json.DicomJsonWriter;
import io.ponte.dicomweb.BulkDataPaths;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The {@code metadata} column: an instance's DICOM JSON (PS3.18 Annex F), written from the header
 * the store parsed (everything before Pixel Data), so WADO-RS /metadata never re-reads the objects.
 * Bulk data over 1 KiB is a relative BulkDataURI ({@link BulkDataPaths}), smaller values inline.
 */
@ApplicationScoped
public class InstanceMetadata {

  public String json(Attributes header) {
    StringWriter out = new StringWriter();
    try (DicomJsonWriter writer =
        DicomJsonWriter.builder().bulkDataUris(BulkDataPaths.RELATIVE).build(out)) {
      writer.write(header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
