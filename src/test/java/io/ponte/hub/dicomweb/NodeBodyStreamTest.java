package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.stream.ReadStreamInputStream;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node's body is taken once: by the relay or as a stream, never both. */
class NodeBodyStreamTest {

  final AtomicInteger aborts = new AtomicInteger();
  final AtomicInteger bound = new AtomicInteger();
  Handler<Buffer> chunks;
  Handler<Void> end;

  final ReadStream<Buffer> source =
      new ReadStream<>() {
        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
          return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
          chunks = h;
          return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
          return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
          return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
          return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
          end = h;
          return this;
        }
      };

  final NodeBodyStream body =
      new NodeBodyStream(
          source,
          aborts::incrementAndGet,
          () -> {
            bound.incrementAndGet();
            return new ReadStreamInputStream(source, aborts::incrementAndGet, 1 << 20, 5000, "x");
          });

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
    chunks.handle(Buffer.buffer(new byte[] {1, 2, 3}));
    end.handle(null);
    assertThat(body.readAllBytes()).containsExactly(1, 2, 3);
    assertThat(bound).hasValue(1);
  }

  @Test
  void closingAnUnreadBodyResetsTheNodesRequest() throws IOException {
    body.close();
    assertThat(aborts).hasValue(1);
    assertThat(body.takeSource()).isNull();
  }
}
