package io.ponte.node.storage.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.node.storage.CheckedBytes;
import io.ponte.text.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The streams a pack is written from: instances checked against their SHA-256 as they stream. */
@DisplayName("packing: instances checked as they stream into a pack")
class PackStreamsTest {

  private static final byte[] FIRST = "first instance's bytes".getBytes();
  private static final byte[] SECOND = "the second one, a little longer".getBytes();

  @Test
  void instancesWithTheirIndexedSha256StreamThroughUnchanged() throws IOException {
    try (InputStream in =
        PackStreams.concat(
            List.of(
                () -> checked(FIRST, FIRST),
                () -> checked(SECOND, SECOND),
                () -> new ByteArrayInputStream(new byte[] {1, 2})))) {
      byte[] all = readInSmallPieces(in);
      assertThat(all).hasSize(FIRST.length + SECOND.length + 2);
      assertThat(new String(all, 0, FIRST.length)).isEqualTo(new String(FIRST));
    }
  }

  @Test
  void anInstanceChangedSinceIndexedFailsTheReadOfItsLastByte() {
    byte[] changed = SECOND.clone();
    changed[3] ^= 1;
    InputStream in =
        PackStreams.concat(List.of(() -> checked(FIRST, FIRST), () -> checked(changed, SECOND)));

    assertThatThrownBy(() -> readInSmallPieces(in))
        .isInstanceOf(CheckedBytes.Changed.class)
        .hasMessageContaining("instance b")
        .hasMessageContaining(Sha256.hex(SECOND));
  }

  @Test
  void anInstanceShorterThanIndexedFailsAndALongerOneIsCutAtItsIndexedSize() throws IOException {
    byte[] shorter = java.util.Arrays.copyOf(FIRST, FIRST.length - 1);
    assertThatThrownBy(
            () ->
                readInSmallPieces(
                    CheckedBytes.of(
                        new ByteArrayInputStream(shorter),
                        FIRST.length,
                        Sha256.hex(FIRST),
                        "instance a")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1 bytes short");

    byte[] longer = java.util.Arrays.copyOf(FIRST, FIRST.length + 5);
    try (InputStream in =
        CheckedBytes.of(
            new ByteArrayInputStream(longer), FIRST.length, Sha256.hex(FIRST), "instance a")) {
      assertThat(readInSmallPieces(in)).isEqualTo(FIRST);
    }
  }

  private static InputStream checked(byte[] bytes, byte[] indexed) {
    String what = indexed == FIRST ? "instance a" : "instance b";
    return CheckedBytes.of(
        new ByteArrayInputStream(bytes), indexed.length, Sha256.hex(indexed), what);
  }

  private static byte[] readInSmallPieces(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[7];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
