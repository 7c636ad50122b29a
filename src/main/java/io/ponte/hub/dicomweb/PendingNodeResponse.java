package io.ponte.hub.dicomweb;

import io.vertx.core.http.HttpClientResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A GET sent to a node whose answer is still on its way ({@link NodeClient#start}). Whoever holds
 * one either {@link #await()}s it or {@link #cancel()}s it: a cancelled request's connection is
 * reset as soon as its answer arrives, so nothing of the body is read or kept.
 */
public final class PendingNodeResponse {

  private final String site;
  private final CompletableFuture<HttpClientResponse> response;
  private final long timeoutMillis;
  private final Function<HttpClientResponse, NodeResponse> answer;

  PendingNodeResponse(
      String site,
      CompletableFuture<HttpClientResponse> response,
      long timeoutMillis,
      Function<HttpClientResponse, NodeResponse> answer) {
    this.site = site;
    this.response = response;
    this.timeoutMillis = timeoutMillis;
    this.answer = answer;
  }

  /**
   * Blocks the (worker) thread until the node's status line and headers arrive; the body is not
   * read yet. A node that cannot be reached or does not answer in time is a {@link
   * io.ponte.error.ProblemException} naming the site (503 / 504).
   */
  public NodeResponse await() {
    return await(timeoutMillis);
  }

  /**
   * As {@link #await()}, waiting {@code maxMillis} at most (a page that asks every site at once
   * gives a slow one less time than a retrieve would).
   */
  public NodeResponse await(long maxMillis) {
    HttpClientResponse r;
    try {
      r = response.get(Math.min(maxMillis, timeoutMillis), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw NodeClient.unavailable(site, "interrupted", e);
    } catch (TimeoutException e) {
      cancel();
      throw NodeClient.timeout(site, e);
    } catch (ExecutionException e) {
      throw NodeClient.failure(site, e.getCause());
    }
    return answer.apply(r);
  }

  /** Drops the request: its answer, now or when it arrives, is reset unread. */
  public void cancel() {
    response.whenComplete(
        (r, failed) -> {
          if (r != null) {
            r.request().reset();
          }
        });
  }
}
