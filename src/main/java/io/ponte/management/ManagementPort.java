package io.ponte.management;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves, on {@link ManagementPortConfig#port()} and for either role, {@code GET /q/metrics}
 * (Prometheus text, the same registry) and {@code /q/health}, {@code /q/health/live}, {@code
 * /q/health/ready}, {@code /q/health/started} (SmallRye Health's JSON and status codes: 503 when
 * DOWN), and nothing else. With the port set, the HTTP port answers 404 under {@code /q/}: a hub's
 * HTTP port faces every clinician's browser and a node's the hub, and neither needs the process's
 * pools, queues and checks. Metrics and health carry no patient data and no secrets, so the port
 * takes no token; who reaches it is the NetworkPolicy's business (k8s/overlays/prod). Scrapes and
 * checks run off the event loop: a registry with many meters takes milliseconds to render, and a
 * check may wait for the database.
 */
@ApplicationScoped
class ManagementPort {

  private static final Logger LOG = Logger.getLogger(ManagementPort.class);

  static final String METRICS = "/q/metrics";

  @Inject ManagementPortConfig config;

  @Inject PrometheusMeterRegistry registry;

  @Inject SmallRyeHealthReporter health;

  @Inject Vertx vertx;

  private HttpServer server;

  /** The health groups served, by path. */
  private Map<String, Callable<SmallRyeHealth>> healthPaths() {
    return Map.of(
        "/q/health", health::getHealth,
        "/q/health/live", health::getLiveness,
        "/q/health/ready", health::getReadiness,
        "/q/health/started", health::getStartup);
  }

  /** With the port set, {@code /q} and below are not the HTTP port's any more. */
  void closeOnHttpPort(@Observes Router router) {
    if (config.port().isEmpty()) {
      return;
    }
    router
        .routeWithRegex("/q(/.*)?")
        .order(Integer.MIN_VALUE + 20)
        .handler(
            rc ->
                rc.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/problem+json")
                    .end("{\"title\":\"Not Found\",\"status\":404}"));
  }

  void start(@Observes StartupEvent event) throws Exception {
    if (config.port().isEmpty()) {
      return;
    }
    Map<String, Callable<SmallRyeHealth>> healthPaths = healthPaths();
    server =
        vertx
            .createHttpServer()
            .requestHandler(request -> serve(request, healthPaths))
            .listen(config.port().getAsInt(), config.bindAddress())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    LOG.infof(
        "management: %s and /q/health on %s:%d (not on the HTTP port)",
        METRICS, config.bindAddress(), server.actualPort());
  }

  private void serve(HttpServerRequest request, Map<String, Callable<SmallRyeHealth>> healthPaths) {
    String path = request.path();
    Callable<SmallRyeHealth> check = healthPaths.get(path);
    if (request.method() != HttpMethod.GET || (check == null && !METRICS.equals(path))) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (check == null) {
      String type = format(request.getHeader("Accept"));
      vertx
          .executeBlocking(() -> registry.scrape(type), false)
          .onSuccess(text -> request.response().putHeader("Content-Type", type).end(text))
          .onFailure(e -> request.response().setStatusCode(500).end());
      return;
    }
    vertx
        .executeBlocking(() -> inRequestContext(check), false)
        .onSuccess(
            result ->
                request
                    .response()
                    .setStatusCode(result.isDown() ? 503 : 200)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(result.getPayload().toString()))
        .onFailure(
            e -> {
              LOG.warnf(e, "health check on the management port failed");
              request.response().setStatusCode(500).end();
            });
  }

  /**
   * As Quarkus's own metrics handler negotiates: the Prometheus text format (0.0.4) when asked for
   * {@code text/plain}, else OpenMetrics, so that a scrape reads the same on either port.
   */
  static String format(String accept) {
    return accept != null && accept.startsWith("text/plain")
        ? TextFormat.CONTENT_TYPE_004
        : TextFormat.CONTENT_TYPE_OPENMETRICS_100;
  }

  /** As Quarkus's own health handler: a check may use request-scoped beans. */
  private static SmallRyeHealth inRequestContext(Callable<SmallRyeHealth> check) throws Exception {
    ManagedContext context = Arc.container().requestContext();
    if (context.isActive()) {
      return check.call();
    }
    context.activate();
    try {
      return check.call();
    } finally {
      context.terminate();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.close();
    }
  }
}
