package io.ponte.node.dicomweb;

import io.ponte.dicom.Tag;
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
      // The stored metadata holds no top-level pixel data; elements after it (private groups 7FE1
      // and up, a Digital Signatures Sequence) are kept after its entry, in tag order.
      String key = pixelDataKey(row.pixelDataTag());
      String pixel =
          "\""
              + key
              + "\":{\"vr\":\""
              + pixelDataVr(row.pixelDataTag(), row.transferSyntaxUid())
              + "\",\"BulkDataURI\":\""
              + pixelUri
              + "\"}";
      int at = firstKeyAfter(json, key);
      if (at < 0) {
        w.write(json, 0, json.length() - 1);
        w.write(json.length() > 2 ? "," : "");
        w.write(pixel + "}");
      } else {
        w.write(json, 0, at);
        w.write(pixel + ",");
        w.write(json, at, json.length() - at);
      }
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

  /**
   * The instance's own pixel data element (PS3.18 F.2): Float (7FE0,0008) or Double Float Pixel
   * Data (7FE0,0009) where the index recorded one, else Pixel Data (7FE0,0010).
   */
  static String pixelDataKey(Integer tag) {
    if (tag != null && tag == Tag.FloatPixelData) {
      return "7FE00008";
    }
    if (tag != null && tag == Tag.DoubleFloatPixelData) {
      return "7FE00009";
    }
    return "7FE00010";
  }

  /** OF and OD have their own VR in every transfer syntax; Pixel Data is OW native, else OB. */
  static String pixelDataVr(Integer tag, String transferSyntaxUid) {
    if (tag != null && tag == Tag.FloatPixelData) {
      return "OF";
    }
    if (tag != null && tag == Tag.DoubleFloatPixelData) {
      return "OD";
    }
    return UID.isNative(transferSyntaxUid) ? "OW" : "OB";
  }

  /**
   * Where the first top-level key above {@code key} starts in a DICOM JSON object, or -1. Keys are
   * eight upper-case hex digits, so they compare as strings.
   */
  static int firstKeyAfter(String json, String key) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        if (depth == 1
            && i + 10 <= json.length()
            && json.charAt(i + 9) == '"'
            && keyAbove(json, i + 1, key)
            && json.startsWith(":", i + 10)) {
          return i;
        }
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return -1;
  }

  /** Whether the eight-digit key at {@code from} sorts above {@code key} (no substring per key). */
  private static boolean keyAbove(String json, int from, String key) {
    for (int k = 0; k < key.length(); k++) {
      int d = json.charAt(from + k) - key.charAt(k);
      if (d != 0) {
        return d > 0;
      }
    }
    return false;
  }

  private static String frameList(int frames) {
    StringBuilder b = new StringBuilder();
    for (int f = 1; f <= Math.max(frames, 1); f++) {
      b.append(f == 1 ? "" : ",").append(f);
    }
    return b.toString();
  }
}
