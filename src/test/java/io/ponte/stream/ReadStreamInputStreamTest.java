package io.ponte.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.FakeReadStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadStreamInputStreamTest {

  @Test
  void passesEveryByteInOrderAndPausesOnlyAboveTheWindow() throws Exception {
    FakeReadStream source = new FakeReadStream();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, () -> {}, 64 * 1024, 5_000, "the test");
    assertThat(source.paused).as("the stream resumes the paused source").isFalse();

    Random random = new Random(7);
    byte[] body = new byte[3 * 1024 * 1024];
    random.nextBytes(body);
    Thread eventLoop =
        new Thread(
            () -> {
              int at = 0;
              while (at < body.length) {
                while (source.paused) {
                  Thread.onSpinWait();
                }
                int n = Math.min(body.length - at, 1 + random.nextInt(20_000));
                byte[] chunk = new byte[n];
                System.arraycopy(body, at, chunk, 0, n);
                source.deliver(chunk);
                at += n;
              }
              source.endHandler.handle(null);
            });
    eventLoop.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf, 0, buf.length)) >= 0) {
      out.write(buf, 0, n);
    }
    eventLoop.join();
    assertThat(out.toByteArray()).isEqualTo(body);
    // 3 MB through a 64 KB window: the source was paused and resumed, so nothing beyond the window
    // was queued.
    assertThat(source.pauses.get()).isGreaterThan(0);
    assertThat(source.resumes.get()).isGreaterThan(source.pauses.get() - 1);
  }

  @Test
  void readsWhatIsQueuedAcrossChunksInOneCall() throws IOException {
    FakeReadStream source = new FakeReadStream();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, () -> {}, 1 << 20, 5_000, "the test");
    source.deliver(new byte[] {1, 2});
    source.deliver(new byte[] {3});
    source.endHandler.handle(null);
    byte[] buf = new byte[10];
    assertThat(in.read(buf, 0, 10)).isEqualTo(3);
    assertThat(in.read(buf, 0, 10)).isEqualTo(-1);
  }

  @Test
  void aBrokenSourceFailsTheReaderAfterWhatArrivedBeforeIt() throws IOException {
    FakeReadStream source = new FakeReadStream();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, () -> {}, 1 << 20, 5_000, "the client");
    source.deliver(new byte[] {9});
    source.exceptionHandler.handle(new IOException("connection reset"));
    assertThat(in.read()).isEqualTo(9);
    assertThatThrownBy(in::read)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the client")
        .hasMessageContaining("connection reset");
  }

  @Test
  void aSilentSourceTimesOut() {
    FakeReadStream source = new FakeReadStream();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, () -> {}, 1 << 20, 50, "the client");
    assertThatThrownBy(in::read)
        .isInstanceOf(ReadStreamInputStream.ReadTimeoutException.class)
        .hasMessageContaining("no data from the client for 50 ms");
  }

  @Test
  void closingBeforeTheEndAbortsAndDropsLaterChunks() throws IOException {
    FakeReadStream source = new FakeReadStream();
    AtomicInteger aborts = new AtomicInteger();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, aborts::incrementAndGet, 4, 5_000, "the client");
    source.deliver(new byte[] {1, 2, 3, 4, 5});
    assertThat(source.paused).as("above the window").isTrue();
    in.close();
    assertThat(aborts.get()).isEqualTo(1);
    source.deliver(new byte[] {6});
    assertThat(in.available()).isZero();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }

  @Test
  void closingAtTheEndDoesNotAbort() throws IOException {
    FakeReadStream source = new FakeReadStream();
    AtomicInteger aborts = new AtomicInteger();
    ReadStreamInputStream in =
        new ReadStreamInputStream(source, aborts::incrementAndGet, 1 << 20, 5_000, "x");
    source.deliver(new byte[] {1});
    source.endHandler.handle(null);
    in.close();
    assertThat(aborts.get()).isZero();
  }
}
