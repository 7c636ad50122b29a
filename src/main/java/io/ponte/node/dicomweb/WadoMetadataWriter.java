package io.ponte.node.dicomweb;

import io.ponte.node.index.WadoIndexReader.MetadataRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the stored DICOM JSON of instances as one array, adding a BulkDataURI for the pixel data
 * of uncompressed images (their frames, served by this node); the hub rewrites it to itself.
 * Nothing is written before the first row (or {@link #finish()}).
 */
final class WadoMetadataWriter {

  private final String baseUrl;
  private final OutputStream out;
  private Writer w;

  WadoMetadataWriter(String baseUrl, OutputStream out) {
    this.baseUrl = baseUrl;
    this.out = out;
  }

  void write(MetadataRow row) throws IOException {
    if (w == null) {
      w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
      w.write('[');
    } else {
      w.write(',');
    }
    String json = row.metadataJson().trim();
    String pixelUri =
        row.rows() == null || !FrameLayout.isNative(row.transferSyntaxUid())
            ? null
            : baseUrl
                + "/dicomweb/studies/"
                + row.studyUid()
                + "/series/"
                + row.seriesUid()
                + "/instances/"
                + row.sopInstanceUid()
                + "/frames/"
                + frameList(row.numberOfFrames() == null ? 1 : row.numberOfFrames());
    if (pixelUri == null || json.contains("\"7FE00010\"")) {
      w.write(json);
    } else {
      // Pixel Data has the highest standard tag, so appending keeps tag order.
      w.write(json, 0, json.length() - 1);
      w.write(json.length() > 2 ? "," : "");
      w.write("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"" + pixelUri + "\"}}");
    }
  }

  /** Ends the array and flushes it. */
  void finish() throws IOException {
    if (w == null) {
      w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      w.write('[');
    }
    w.write(']');
    w.flush();
  }

  private static String frameList(int frames) {
    StringBuilder b = new StringBuilder();
    for (int f = 1; f <= Math.max(frames, 1); f++) {
      b.append(f == 1 ? "" : ",").append(f);
    }
    return b.toString();
  }
}
