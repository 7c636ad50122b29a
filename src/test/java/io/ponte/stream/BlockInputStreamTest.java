package io.ponte.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BlockInputStreamTest {

  /** Every byte value once, handed out at most {@code block} bytes per read. */
  private static InputStream allByteValues(int block) {
    return new BlockInputStream() {
      private int next;

      @Override
      public int read(byte[] b, int off, int len) {
        if (next == 256) {
          return -1;
        }
        int n = Math.min(Math.min(len, block), 256 - next);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) next++;
        }
        return n;
      }
    };
  }

  @Test
  void singleByteReadsReturnEveryValueUnsignedThenEndOfStream() throws IOException {
    InputStream in = allByteValues(7);
    for (int value = 0; value < 256; value++) {
      assertThat(in.read()).isEqualTo(value);
    }
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void singleAndBlockReadsShareOnePosition() throws IOException {
    InputStream in = allByteValues(5);
    assertThat(in.read()).isZero();
    byte[] block = new byte[3];
    assertThat(in.read(block, 0, 3)).isEqualTo(3);
    assertThat(block).containsExactly(1, 2, 3);
    assertThat(in.read()).isEqualTo(4);
    assertThat(in.readAllBytes()).hasSize(251).startsWith(5).endsWith((byte) 255);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void anEmptyStreamEndsAtOnce() throws IOException {
    InputStream empty =
        new BlockInputStream() {
          @Override
          public int read(byte[] b, int off, int len) {
            return -1;
          }
        };
    assertThat(empty.read()).isEqualTo(-1);
  }
}
