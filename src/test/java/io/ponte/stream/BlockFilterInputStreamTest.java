package io.ponte.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BlockFilterInputStreamTest {

  /** Counts every byte it passes on, and sees each block read. */
  private static final class Counting extends BlockFilterInputStream {
    long count;
    int blockReads;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      blockReads++;
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private static byte[] allByteValues() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    return all;
  }

  @Test
  void singleByteReadsGoThroughTheFilterAndReturnEveryValueUnsigned() throws IOException {
    Counting in = new Counting(new ByteArrayInputStream(allByteValues()));
    for (int value = 0; value < 256; value++) {
      assertThat(in.read()).isEqualTo(value);
    }
    assertThat(in.count).isEqualTo(256);
    assertThat(in.blockReads).isEqualTo(256);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.count).isEqualTo(256);
  }

  @Test
  void skipGoesThroughTheFilterAndStopsAtTheEnd() throws IOException {
    Counting in = new Counting(new ByteArrayInputStream(allByteValues()));
    assertThat(in.skip(0)).isZero();
    assertThat(in.skip(-5)).isZero();
    assertThat(in.skip(100)).isEqualTo(100);
    assertThat(in.count).isEqualTo(100);
    assertThat(in.read()).isEqualTo(100);
    assertThat(in.skip(1000)).isEqualTo(155);
    assertThat(in.count).isEqualTo(256);
    assertThat(in.skip(1)).isZero();
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void markAndResetAreRefusedSoNoByteIsFilteredTwice() throws IOException {
    // ByteArrayInputStream supports mark; the filter must not pass that on.
    Counting in = new Counting(new ByteArrayInputStream(allByteValues()));
    assertThat(in.markSupported()).isFalse();
    in.mark(10);
    in.read();
    assertThatThrownBy(in::reset).isInstanceOf(IOException.class);
    assertThat(in.read()).isEqualTo(1);
  }

  @Test
  void theWholeReadingApiGoesThroughTheFilter() throws IOException {
    Counting in = new Counting(new ByteArrayInputStream(allByteValues()));
    assertThat(in.readNBytes(10)).hasSize(10);
    in.skipNBytes(10);
    assertThat(in.count).isEqualTo(20);
    assertThat(in.transferTo(new ByteArrayOutputStream())).isEqualTo(236);
    assertThat(in.count).isEqualTo(256);
  }

  @Test
  void availableIsTheSources() throws IOException {
    Counting in = new Counting(new ByteArrayInputStream(allByteValues()));
    assertThat(in.available()).isEqualTo(256);
    in.skip(56);
    assertThat(in.available()).isEqualTo(200);
  }

  @Test
  void closeClosesTheSource() throws IOException {
    boolean[] closed = {false};
    InputStream source =
        new ByteArrayInputStream(new byte[1]) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    new Counting(source).close();
    assertThat(closed[0]).isTrue();
  }
}
