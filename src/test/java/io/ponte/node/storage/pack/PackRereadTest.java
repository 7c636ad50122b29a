package io.ponte.node.storage.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.blob.BlobStore;
import io.ponte.text.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The re-read ({@code verify=reread}, and always for {@code ponte migrate}): the pack as Blob
 * returns it, instance by instance against the index, then its trailer.
 */
@DisplayName("packing: the optional re-read of a written pack")
class PackRereadTest {

  private static final String SOP_A = "1.2.3.4.1";
  private static final String SOP_B = "1.2.3.4.2";
  private static final byte[] A = "instance a".getBytes();
  private static final byte[] B = "instance b, longer".getBytes();

  private final PackFormat.Index index =
      new PackFormat.Index(
          PackFormat.FORMAT,
          "site",
          "1.2.3",
          "1.2.3.4",
          List.of(
              new PackFormat.Entry(SOP_A, 0, A.length, Sha256.hex(A)),
              new PackFormat.Entry(SOP_B, A.length, B.length, Sha256.hex(B))));

  @Test
  void aPackAsWrittenPasses() throws Exception {
    byte[] trailer = PackFormat.trailer(index);
    byte[] pack = pack(trailer);

    assertThat(SeriesPacker.verify(store(pack), "p", index, trailer, pack.length)).isNull();
  }

  @Test
  void aChangedInstanceATruncatedPackAndAChangedTrailerAreEachRefused() throws Exception {
    byte[] trailer = PackFormat.trailer(index);
    byte[] pack = pack(trailer);

    byte[] changed = pack.clone();
    changed[A.length + 2] ^= 1;
    assertThat(SeriesPacker.verify(store(changed), "p", index, trailer, pack.length))
        .contains("instance " + SOP_B);

    byte[] truncated = Arrays.copyOf(pack, A.length + 3);
    assertThat(SeriesPacker.verify(store(truncated), "p", index, trailer, pack.length))
        .contains("ends inside instance " + SOP_B);

    byte[] badTrailer = pack.clone();
    badTrailer[pack.length - 1] ^= 1;
    assertThat(SeriesPacker.verify(store(badTrailer), "p", index, trailer, pack.length))
        .contains("trailer");
  }

  private static byte[] pack(byte[] trailer) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(A);
    out.write(B);
    out.write(trailer);
    return out.toByteArray();
  }

  /** A store holding one object, whatever its name. */
  private static BlobStore store(byte[] object) {
    return new BlobStore() {
      @Override
      public void write(String name, InputStream data, long length, Map<String, String> meta) {
        throw new UnsupportedOperationException();
      }

      @Override
      public InputStream read(String name, long offset, long length) {
        return new ByteArrayInputStream(object);
      }

      @Override
      public Map<String, String> metadata(String name) {
        return Map.of();
      }

      @Override
      public void ping() {}
    };
  }
}
