package io.ponte.hub.dicomweb;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in node for the proxy's failure modes only (silence, stalls, error statuses, header
 * hygiene). Real node behaviour is tested against a real node; this fake never answers DICOMweb.
 */
final class FakeNode implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final int port;
  volatile String lastAuthorization;
  volatile java.util.Set<String> lastHeaders;

  /** When not 0, study retrievals answer this status (with {@link #studyCode} if set). */
  volatile int studyStatus;

  volatile String studyCode;

  /** With {@link #studyStatus}: a Retry-After header and the problem's retryAfter/availableAt. */
  volatile String studyRetryAfter;

  /** The X-Request-Id of the last study retrieval. */
  volatile String lastRequestId;

  volatile String lastTraceparent;

  /** How the next study retrievals answer (see {@link Study}). */
  volatile Study study = Study.WHOLE;

  /**
   * Study bodies whose connection closed before the body was complete (the hub gave up on them).
   */
  final java.util.concurrent.atomic.AtomicInteger studiesCutByTheHub =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * What the fake answers for /dicomweb/studies/...: the whole body, a cut one, or one without end.
   */
  enum Study {
    WHOLE,
    BREAKS_AFTER_1MB,
    /** 1 MB, then silence with the connection open. */
    STALLS_AFTER_1MB,
    ENDLESS
  }

  private final HttpServer server;

  FakeNode(int port) throws Exception {
    this.port = port;
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String path = req.path();
                  HttpServerResponse res = req.response();
                  switch (path) {
                    case "/dicomweb/bytes" -> {
                      long size = Long.parseLong(req.getParam("size"));
                      res.putHeader("Content-Type", "application/octet-stream")
                          .putHeader("Content-Length", Long.toString(size))
                          .putHeader("Set-Cookie", "node-session=secret")
                          .putHeader("Server", "node-internal/1.0")
                          .putHeader("X-Node-Address", "10.0.0.7");
                      sendPseudoRandom(
                          res, size, new Random(Long.parseLong(req.getParam("seed"))), res::end);
                    }
                    case "/dicomweb/headers" -> {
                      JsonObject headers = new JsonObject();
                      req.headers()
                          .forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                      res.putHeader("Content-Type", "application/json").end(headers.encode());
                    }
                    case "/dicomweb/missing" ->
                        res.setStatusCode(404)
                            .putHeader("Content-Type", "application/problem+json")
                            .end(
                                new JsonObject()
                                    .put("status", 404)
                                    .put("code", "ponte:not-found")
                                    .put("detail", "no such study")
                                    .encode());
                    case "/dicomweb/refuses-hub" ->
                        res.setStatusCode(403)
                            .putHeader("Content-Type", "application/problem+json")
                            .end("{}");
                    case "/dicomweb/silent" -> {
                      /* never answers */
                    }
                    case "/dicomweb/stall" -> {
                      res.setChunked(true).putHeader("Content-Type", "application/octet-stream");
                      res.write(Buffer.buffer(new byte[1000]));
                    }
                    default -> {
                      if (path.endsWith("/metadata")) {
                        String uid = path.split("/")[3];
                        res.putHeader("Content-Type", "application/dicom+json")
                            .end(
                                "[{\"0020000D\":{\"vr\":\"UI\","
                                    + "\"Value\":[\""
                                    + uid
                                    + "\"]},\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":"
                                    + "\"http://10.9.9.9:8080/dicomweb/studies/"
                                    + uid
                                    + "/series/1.2/instances/1.2.3/frames/1\"}}]");
                      } else if (path.startsWith("/dicomweb/studies/")) {
                        lastAuthorization = req.getHeader("Authorization");
                        lastHeaders = req.headers().names();
                        lastRequestId = req.getHeader("X-Request-Id");
                        lastTraceparent = req.getHeader("traceparent");
                        if (studyStatus != 0) {
                          JsonObject problem = new JsonObject().put("status", studyStatus);
                          if (studyCode != null) {
                            problem.put("code", studyCode).put("detail", "node trouble");
                          }
                          if (studyRetryAfter != null) {
                            res.putHeader("Retry-After", studyRetryAfter);
                            problem
                                .put("retryAfter", Long.parseLong(studyRetryAfter))
                                .put("availableAt", "2030-01-01T00:00:00Z");
                          }
                          res.setStatusCode(studyStatus)
                              .putHeader("Content-Type", "application/problem+json")
                              .end(problem.encode());
                          return;
                        }
                        long size =
                            switch (study) {
                              case WHOLE -> 3L * 1024 * 1024 + 5;
                              case BREAKS_AFTER_1MB, STALLS_AFTER_1MB -> 1024 * 1024;
                              case ENDLESS -> Long.MAX_VALUE / 2;
                            };
                        long announced = study == Study.WHOLE ? size : 3L * 1024 * 1024 + 5;
                        res.putHeader(
                                "Content-Type",
                                "multipart/related; type=\"application/dicom\"; boundary=x")
                            .putHeader("Content-Length", Long.toString(announced))
                            .putHeader("Set-Cookie", "n=1");
                        if (study == Study.ENDLESS || study == Study.STALLS_AFTER_1MB) {
                          res.closeHandler(v -> studiesCutByTheHub.incrementAndGet());
                        }
                        Study now = study;
                        sendPseudoRandom(
                            res,
                            size,
                            new Random(path.hashCode()),
                            switch (now) {
                              case BREAKS_AFTER_1MB -> () -> req.connection().close();
                              case STALLS_AFTER_1MB -> () -> {};
                              default -> res::end;
                            });
                      } else {
                        res.setStatusCode(500).end();
                      }
                    }
                  }
                });
    server
        .listen(port, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * Writes {@code size} bytes from {@code random}, honouring the connection's backpressure, then
   * {@code last}.
   */
  static void sendPseudoRandom(HttpServerResponse res, long size, Random random, Runnable last) {
    long[] left = {size};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (left[0] > 0 && !res.writeQueueFull() && !res.closed()) {
            byte[] chunk = new byte[(int) Math.min(64 * 1024, left[0])];
            random.nextBytes(chunk);
            left[0] -= chunk.length;
            res.write(Buffer.buffer(chunk));
          }
          if (left[0] == 0) {
            last.run();
          } else if (!res.closed()) {
            res.drainHandler(v -> pump[0].run());
          }
        };
    pump[0].run();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
