package io.ponte.node.storage.pack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.UID;
import io.ponte.node.storage.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A pack: the Part 10 bytes of its instances one after another, then an index (UTF-8 JSON naming
 * the format, site, study, series and, per instance, SOP Instance UID, offset, length and SHA-256),
 * then a 16-byte footer: the index's length (8 bytes, big-endian) and the magic {@code PONTEPK1}.
 * Self-describing, so that {@code ponte node rebuild-index} indexes a pack from Blob alone: two
 * range reads (footer, index) and one per instance. Its name is {@code
 * study/series/pack-<id>.pack}, beside the names the series' instances have as objects of their
 * own.
 */
public final class PackFormat {

  public static final String FORMAT = "ponte-pack/1";
  static final byte[] MAGIC = "PONTEPK1".getBytes(StandardCharsets.US_ASCII);
  public static final int FOOTER = 16;

  /** An index larger than this is not one the node wrote (about 10,000 instances take 2 MB). */
  static final long MAX_INDEX = 64L * 1024 * 1024;

  public static final String SUFFIX = ".pack";

  /** Blob metadata of a pack (Azure metadata names are identifiers: no dashes). */
  public static final String META_FORMAT = "ponteformat";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PackFormat() {}

  /** One instance in a pack. */
  public record Entry(String sop, long offset, long length, String sha256) {}

  /** A pack's index, as its trailer holds it. */
  public record Index(
      String format, String site, String study, String series, List<Entry> entries) {

    /** Where the trailer starts: after the last instance. */
    public long dataEnd() {
      return entries.isEmpty()
          ? 0
          : entries.get(entries.size() - 1).offset() + entries.get(entries.size() - 1).length();
    }
  }

  /** The name of a new pack of {@code series}. */
  public static String blobName(String study, String series, String id) {
    return UID.requireValid(study) + "/" + UID.requireValid(series) + "/pack-" + id + SUFFIX;
  }

  public static boolean isPackName(String name) {
    return name.endsWith(SUFFIX) && name.substring(name.lastIndexOf('/') + 1).startsWith("pack-");
  }

  /** The trailer: index then footer. */
  public static byte[] trailer(Index index) throws IOException {
    byte[] json = JSON.writeValueAsBytes(index);
    ByteBuffer out = ByteBuffer.allocate(json.length + FOOTER);
    out.put(json).putLong(json.length).put(MAGIC);
    return out.array();
  }

  /** The index's length from a pack's last 16 bytes; refuses anything the node did not write. */
  public static long indexLength(byte[] footer) throws IOException {
    if (footer.length != FOOTER || !java.util.Arrays.equals(MAGIC, 0, 8, footer, 8, 16)) {
      throw new IOException("not a pack: no " + FORMAT + " footer");
    }
    long length = ByteBuffer.wrap(footer).getLong();
    if (length <= 0 || length > MAX_INDEX) {
      throw new IOException("not a pack: index length " + length);
    }
    return length;
  }

  /** Parses and checks an index: the format, and entries laid end to end from offset 0. */
  public static Index parseIndex(byte[] json) throws IOException {
    Index index;
    try {
      index = JSON.readValue(json, Index.class);
    } catch (IOException e) {
      throw new IOException("not a pack: its index is not readable: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(index.format()) || index.entries() == null || index.entries().isEmpty()) {
      throw new IOException("not a pack of format " + FORMAT);
    }
    long expected = 0;
    for (Entry e : index.entries()) {
      if (e.offset() != expected
          || e.length() <= 0
          || !UID.isValid(e.sop())
          || e.sha256() == null) {
        throw new IOException("not a pack: entry " + e.sop() + " out of place");
      }
      expected += e.length();
    }
    return index;
  }

  /** A pack's index as read from a store, with the trailer's bytes as they are there. */
  public record Stored(String name, long size, Index index, byte[] trailer) {}

  /**
   * Reads the index of the pack {@code name} of {@code size} bytes from {@code store}: its footer
   * and its index (two range reads), checked as {@link #parseIndex} does and to end where the
   * footer starts. An IOException whose message starts with "not a pack" when the object is not one
   * the node wrote.
   */
  public static Stored read(BlobStore store, String name, long size) throws IOException {
    if (size < FOOTER) {
      throw new IOException("not a pack: too short");
    }
    byte[] footer;
    try (InputStream in = store.read(name, size - FOOTER, FOOTER)) {
      footer = in.readAllBytes();
    }
    long indexLength = indexLength(footer);
    long indexAt = size - FOOTER - indexLength;
    if (indexAt < 0) {
      throw new IOException("not a pack: index longer than the pack");
    }
    byte[] json;
    try (InputStream in = store.read(name, indexAt, indexLength)) {
      json = in.readAllBytes();
    }
    Index index = parseIndex(json);
    if (index.dataEnd() != indexAt) {
      throw new IOException("not a pack: its index does not end where it starts");
    }
    byte[] trailer = Arrays.copyOf(json, json.length + FOOTER);
    System.arraycopy(footer, 0, trailer, json.length, FOOTER);
    return new Stored(name, size, index, trailer);
  }

  /** The blob metadata of a pack: a listing tells a pack from an instance without reading it. */
  public static Map<String, String> metadata(Index index) {
    return Map.of(
        META_FORMAT,
        FORMAT,
        "site",
        index.site() == null ? "" : index.site(),
        "study",
        index.study(),
        "series",
        index.series(),
        "instances",
        Integer.toString(index.entries().size()));
  }
}
