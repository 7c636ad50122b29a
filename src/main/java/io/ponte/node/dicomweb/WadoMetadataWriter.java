package io.ponte.node.dicomweb;

import io.ponte.dicom.UID;
import io.ponte.dicomweb.BulkDataPaths;
import io.ponte.node.index.WadoIndexReader.MetadataRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the stored DICOM JSON of instances as one array: the stored relative BulkDataURIs ({@link
 * BulkDataPaths}) made absolute, and a BulkDataURI added for the pixel data of images whose frames
 * this node serves (native, or encapsulated in a syntax with a frame media type); the hub rewrites
 * both to itself. Nothing is written before the first row (or {@link #finish()}).
 */
final class WadoMetadataWriter {

  /**
   * A stored relative BulkDataURI member as the database gives it back (jsonb: a space after the
   * colon). Never met inside a string value, whose quotes would be escaped.
   */
  private static final Pattern STORED_URI =
      Pattern.compile("\"BulkDataURI\":\\s*\"" + BulkDataPaths.RELATIVE_PREFIX);

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
    String instanceUrl =
        baseUrl
            + "/dicomweb/studies/"
            + row.studyUid()
            + "/series/"
            + row.seriesUid()
            + "/instances/"
            + row.sopInstanceUid();
    if (json.contains(BulkDataPaths.RELATIVE_PREFIX)) {
      json =
          STORED_URI
              .matcher(json)
              .replaceAll(
                  Matcher.quoteReplacement("\"BulkDataURI\":\"" + instanceUrl + "/bulkdata/"));
    }
    String pixelUri =
        row.rows() == null || !FrameTable.framesServed(row.transferSyntaxUid())
            ? null
            : instanceUrl
                + "/frames/"
                + frameList(row.numberOfFrames() == null ? 1 : row.numberOfFrames());
    if (pixelUri == null) {
      w.write(json);
    } else {
      // The stored header ends before the top-level Pixel Data, which has the highest standard
      // tag: appending it keeps tag order.
      w.write(json, 0, json.length() - 1);
      w.write(json.length() > 2 ? "," : "");
      String vr = UID.isNative(row.transferSyntaxUid()) ? "OW" : "OB";
      w.write("\"7FE00010\":{\"vr\":\"" + vr + "\",\"BulkDataURI\":\"" + pixelUri + "\"}}");
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
