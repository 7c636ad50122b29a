package io.ponte.node.storage.pack;

import io.ponte.node.storage.CheckedBytes;
import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.stream.BlockFilterInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Copies a pack from one Blob store to another under the same name (to the replica, and back from
 * it by {@code ponte node rebuild-index --from-replica}), streamed in one read of the source and
 * proven as a pack is when the node writes it: each instance's SHA-256 checked against the pack's
 * index on its way into the block buffer ({@link CheckedBytes#of}), each block sent with its MD5
 * and one commit ({@link BlobStore#writeChecked}), then the committed object's size. A copy that
 * fails a check is never committed: the target keeps what it had under that name.
 */
public final class PackCopy {

  /** The source failed or gave other bytes than the pack's index says: not the target's fault. */
  public static final class SourceFailed extends IOException {
    public SourceFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private PackCopy() {}

  /**
   * Streams {@code pack} (read from {@code from} with {@link PackFormat#read}) to {@code to}: the
   * instances {@code checked} accepts are checked against their SHA-256 in the pack's index, the
   * others (dead space a repair left, which nothing reads) are copied byte for byte. Throws {@link
   * SourceFailed} when the source is at fault, any other IOException when the target is.
   */
  public static void copy(
      BlobStore from, BlobStore to, PackFormat.Stored pack, Predicate<PackFormat.Entry> checked)
      throws IOException {
    String name = pack.name();
    long dataEnd = pack.index().dataEnd();
    InputStream[] data = new InputStream[1];
    List<PackStreams.Part> parts = new ArrayList<>();
    for (PackFormat.Entry e : pack.index().entries()) {
      parts.add(
          () -> {
            if (data[0] == null) {
              // One read of the source for every instance, opened when the first is reached.
              data[0] = from.read(name, 0, dataEnd);
            }
            return CheckedBytes.of(
                new Unclosed(data[0]),
                e.length(),
                checked.test(e) ? e.sha256() : null,
                "instance " + e.sop() + " of pack " + name);
          });
    }
    parts.add(() -> new ByteArrayInputStream(pack.trailer()));
    try (InputStream content = new FromSource(PackStreams.concat(parts))) {
      to.writeChecked(name, content, pack.size(), PackFormat.metadata(pack.index()));
    } finally {
      if (data[0] != null) {
        data[0].close();
      }
    }
    BlobStat stat = to.stat(name);
    if (stat == null || stat.size() != pack.size()) {
      throw new IOException(
          "the copy of "
              + name
              + " holds "
              + (stat == null ? "nothing" : stat.size() + " bytes")
              + ", not "
              + pack.size());
    }
  }

  /** Keeps the source's one stream open across the instances' windows on it. */
  private static final class Unclosed extends FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // closed once, by copy
    }
  }

  /** Tells what the source threw from what the target does: each read failure is the source's. */
  private static final class FromSource extends BlockFilterInputStream {
    FromSource(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SourceFailed e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new SourceFailed("source: " + e.getMessage(), e);
      }
    }
  }
}
