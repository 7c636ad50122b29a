package io.ponte.node.metrics;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves {@code GET /q/metrics} (Prometheus text format, the same registry as the HTTP port's) and
 * nothing else on {@link MetricsPortConfig#port()}. Metrics carry no patient data and no secrets,
 * so the port needs no token; who may reach it is the NetworkPolicy's business (the monitoring
 * namespace only, k8s/overlays/prod). The scrape runs off the event loop: a registry with many
 * meters takes milliseconds to render.
 */
@ApplicationScoped
class MetricsPort {

  private static final Logger LOG = Logger.getLogger(MetricsPort.class);

  @Inject PonteConfig ponte;

  @Inject MetricsPortConfig config;

  @Inject PrometheusMeterRegistry registry;

  @Inject Vertx vertx;

  private HttpServer server;

  void start(@Observes StartupEvent event) throws Exception {
    if (!ponte.isNode() || config.port().isEmpty()) {
      return;
    }
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.method() != HttpMethod.GET || !"/q/metrics".equals(request.path())) {
                    request.response().setStatusCode(404).end();
                    return;
                  }
                  vertx
                      .executeBlocking(() -> registry.scrape(), false)
                      .onSuccess(
                          text ->
                              request
                                  .response()
                                  .putHeader(
                                      "Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                  .end(text))
                      .onFailure(e -> request.response().setStatusCode(500).end());
                })
            .listen(config.port().getAsInt(), config.bindAddress())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    LOG.infof(
        "metrics: Prometheus text on %s:%d/q/metrics", config.bindAddress(), server.actualPort());
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.close();
    }
  }
}
