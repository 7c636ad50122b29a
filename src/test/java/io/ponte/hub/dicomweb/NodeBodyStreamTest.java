package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.stream.ReadStreamInputStream;
import io.ponte.testing.FakeReadStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node's body is taken once: by the relay or as a stream, never both. */
class NodeBodyStreamTest {

  final AtomicInteger aborts = new AtomicInteger();
  final AtomicInteger bound = new AtomicInteger();
  final FakeReadStream source = new FakeReadStream();

  final NodeBodyStream body =
      new NodeBodyStream(
          source,
          aborts::incrementAndGet,
          () -> {
            bound.incrementAndGet();
            return new ReadStreamInputStream(source, aborts::incrementAndGet, 1 << 20, 5000, "x");
          },
          5000);

  @Test
  void theRelayTakesTheSourceOnceAndNothingIsBoundToIt() throws IOException {
    assertThat(body.takeSource()).isSameAs(source);
    assertThat(body.takeSource()).isNull();
    assertThat(bound).hasValue(0);
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("relayed");
    // Closing a relayed body leaves the node's request to the relay.
    body.close();
    assertThat(aborts).hasValue(0);
  }

  @Test
  void aBodyBeingReadIsNotTakenAndReadsAsBefore() throws IOException {
    assertThat(body.available()).isZero();
    assertThat(body.takeSource()).isNull();
    source.deliver(new byte[] {1, 2, 3});
    source.endHandler.handle(null);
    assertThat(body.readAllBytes()).containsExactly(1, 2, 3);
    assertThat(bound).hasValue(1);
  }

  @Test
  void aBodyThatBrokeOffBeforeItWasReadFailsItsReaderAndResetsTheRequest() {
    // Vert.x delivers a broken connection at once, ahead of the paused body.
    source.exceptionHandler.handle(new IOException("connection reset"));
    assertThat(body.failure()).hasMessage("connection reset");
    assertThatThrownBy(body::read)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("broke off");
    assertThat(bound).hasValue(0);
    assertThat(aborts).hasValue(1);
  }

  @Test
  void anAnswerThatEndedBeforeTheHubListenedCountsAsBrokenOff() {
    FakeReadStream ended =
        new FakeReadStream() {
          @Override
          public FakeReadStream exceptionHandler(io.vertx.core.Handler<Throwable> h) {
            throw new IllegalStateException("Response already ended");
          }
        };
    NodeBodyStream late = new NodeBodyStream(ended, () -> {}, () -> null, 5000);
    assertThat(late.failure()).isInstanceOf(IOException.class);
  }

  @Test
  void closingAnUnreadBodyResetsTheNodesRequest() throws IOException {
    body.close();
    assertThat(aborts).hasValue(1);
    assertThat(body.takeSource()).isNull();
  }
}
