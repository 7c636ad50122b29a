package io.ponte.testing;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x body whose chunks the test delivers, as the event loop would; it records pause and
 * resume. Paused until its reader resumes it, like a paused HTTP response.
 */
public class FakeReadStream implements ReadStream<Buffer> {
  public Handler<Buffer> handler;
  public Handler<Void> endHandler;
  public Handler<Throwable> exceptionHandler;
  public volatile boolean paused = true;
  public final AtomicInteger pauses = new AtomicInteger();
  public final AtomicInteger resumes = new AtomicInteger();

  public void deliver(byte[] bytes) {
    handler.handle(Buffer.buffer(bytes));
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    handler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    pauses.incrementAndGet();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    resumes.incrementAndGet();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }
}
