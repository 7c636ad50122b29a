package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** One instance out of a longer file: no way of reading passes the instance's last byte. */
class BoundedInputStreamTest {

  private static InputStream fourOfTen() {
    return new InstanceReader.BoundedInputStream(
        new ByteArrayInputStream(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 4);
  }

  @Test
  void singleBlockAndWholeReadsStopAtTheLimit() throws IOException {
    InputStream in = fourOfTen();
    assertThat(in.read()).isZero();
    assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    assertThat(in.read()).isEqualTo(-1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(fourOfTen().transferTo(out)).isEqualTo(4);
    assertThat(fourOfTen().readNBytes(100)).hasSize(4);
  }

  @Test
  void skipStopsAtTheLimit() throws IOException {
    InputStream in = fourOfTen();
    assertThat(in.skip(3)).isEqualTo(3);
    assertThat(in.skip(100)).isEqualTo(1);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void availableNeverPromisesBytesPastTheLimit() throws IOException {
    InputStream in = fourOfTen();
    assertThat(in.available()).isEqualTo(4);
    in.read();
    assertThat(in.available()).isEqualTo(3);
    in.skip(3);
    assertThat(in.available()).isZero();
  }
}
