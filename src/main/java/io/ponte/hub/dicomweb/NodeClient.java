package io.ponte.hub.dicomweb;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.request.RequestIds;
import io.ponte.role.PonteConfig;
import io.ponte.stream.ReadStreamInputStream;
import io.ponte.text.Urls;
import io.ponte.tls.VerifiedTrust;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The hub's one HTTP client towards the nodes. It sends only what a node needs (the hub's token,
 * Accept, the request id) and hands back only what a caller may see (status, content headers, the
 * body as a backpressured stream). Failures become the federation's error vocabulary: a node that
 * refuses connections is {@link ErrorCode#SITE_UNAVAILABLE} (503), one that goes silent is {@link
 * ErrorCode#SITE_TIMEOUT} (504), both naming the site.
 */
@ApplicationScoped
public class NodeClient {

  /**
   * Response headers a node may pass through the hub; everything else (Set-Cookie, Server...) stays
   * behind.
   */
  static final Set<String> FORWARDED_RESPONSE_HEADERS =
      Set.of("content-type", "content-length", "warning", "etag", "last-modified", "retry-after");

  static final int MAX_CHUNK_BYTES = 128 * 1024;

  private final Vertx vertx;
  private final FederationConfig config;
  private final HubServiceToken token;

  /** Keys {@link #client()}'s map for calls made outside any event loop's context. */
  private static final Object NO_EVENT_LOOP = new Object();

  private final Map<Object, HttpClient> clients = new ConcurrentHashMap<>();

  @Inject OpenTelemetry openTelemetry;

  @Inject TlsConfigurationRegistry tlsConfigurations;

  /** A hub with a wrong TLS setting stops at start, not at its first retrieve. */
  void checkTls(@Observes StartupEvent event, PonteConfig ponte) {
    if (ponte.isHub() && nodeTls().isPresent()) {
      config
          .nodeUrl()
          .values()
          .forEach(
              url ->
                  VerifiedTrust.requireHttps(
                      "ponte.hub.federation.tls-configuration-name", url.toString()));
    }
  }

  /** The trust of {@link FederationConfig#tlsConfigurationName()}, if named. */
  private java.util.Optional<TlsConfiguration> nodeTls() {
    return config
        .tlsConfigurationName()
        .map(
            name ->
                VerifiedTrust.require(
                    tlsConfigurations,
                    "ponte.hub.federation.tls-configuration-name",
                    name,
                    "the hub sends its service token to the nodes"));
  }

  @Inject
  public NodeClient(Vertx vertx, FederationConfig config, HubServiceToken token) {
    this.vertx = vertx;
    this.config = config;
    this.token = token;
  }

  /**
   * The client of the calling request's event loop. Vert.x makes a pooled connection on the loop
   * that asked for it but hands any idle one to the next request, whichever loop that request is
   * on; then every chunk of the node's body crosses from the connection's loop to the caller's
   * (measured: 39 against 3 context switches per proxied MB, and 71 against 79-83 % of the node's
   * direct rate; docs/performance.md). One client per loop keeps both ends of a relay on one
   * thread. Calls from no event loop's context (DIMSE associations) share one more client. Each
   * client may open {@link FederationConfig#maxConnectionsPerSite()} connections to a site.
   */
  private HttpClient client() {
    io.vertx.core.Context context = Vertx.currentContext();
    Object loop =
        context instanceof ContextInternal internal ? internal.nettyEventLoop() : NO_EVENT_LOOP;
    return clients.computeIfAbsent(loop, l -> vertx.createHttpClient(options()));
  }

  private HttpClientOptions options() {
    return new HttpClientOptions()
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setMaxPoolSize(config.maxConnectionsPerSite())
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        // A body chunk per socket read (up to this), not one per 8 KB (Vert.x' default): each
        // chunk is a dispatch and a write on its way to the caller.
        .setMaxChunkSize(MAX_CHUNK_BYTES)
        // get() sends the caller's trace context itself: Vert.x' own client tracing sees only the
        // event loop's context and would start an unrelated trace.
        .setTracingPolicy(TracingPolicy.IGNORE)
        // For https node URLs (TLS is chosen per request by the URL's scheme): the named trust,
        // else the JVM's; the host is always verified.
        .setVerifyHost(true)
        .setTrustOptions(nodeTls().map(TlsConfiguration::getTrustStoreOptions).orElse(null));
  }

  @PreDestroy
  void close() {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }

  /**
   * GET {@code <node base>/dicomweb<path>} at {@code site}; blocks the (worker) thread until the
   * status line and headers arrive. The body is not read yet: the caller streams it from {@link
   * NodeResponse#body()}.
   */
  public NodeResponse get(String site, String pathAndQuery, List<String> accept) {
    return get(site, pathAndQuery, accept, null);
  }

  /**
   * As {@link #get(String, String, List)}, sending the caller's request id ({@code X-Request-Id})
   * so that the node's logs and audit name the same request as the hub's.
   */
  public NodeResponse get(String site, String pathAndQuery, List<String> accept, String requestId) {
    return start(site, pathAndQuery, accept, requestId).await();
  }

  /**
   * Sends the GET and returns at once: the caller does other work (the hub commits the access's
   * audit record) while the node answers, then {@link PendingNodeResponse#await() awaits} the
   * answer or {@link PendingNodeResponse#cancel() cancels} it; one of the two, always.
   */
  public PendingNodeResponse start(
      String site, String pathAndQuery, List<String> accept, String requestId) {
    URI base =
        config
            .nodeUrl(site)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ErrorCode.SITE_UNAVAILABLE,
                        "site " + site + " has no node address configured at the hub",
                        Map.of("site", site),
                        null));
    String bearer = token.accessTokenNow();
    String url = Urls.withoutTrailingSlash(base.toString()) + "/dicomweb" + pathAndQuery;
    long readTimeout = config.readTimeout().toMillis();
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setIdleTimeout(readTimeout)
            .putHeader("Authorization", "Bearer " + bearer);
    for (String value : accept) {
      request.addHeader("Accept", value);
    }
    if (requestId != null) {
      request.putHeader(RequestIds.HEADER, requestId);
    }
    // The trace of the hub's request continues at the node (W3C traceparent; nothing is sent while
    // tracing is off or outside a traced request).
    openTelemetry
        .getPropagators()
        .getTextMapPropagator()
        .inject(Context.current(), request, (r, name, value) -> r.putHeader(name, value));
    // A pooled keep-alive connection that the node closed just before it was reused fails with
    // HttpClosedException before any response arrives: a GET is idempotent, so that case is sent
    // once more (on another connection) instead of answering 503.
    Future<HttpClientResponse> sent =
        send(request)
            .recover(
                e ->
                    e instanceof io.vertx.core.http.HttpClosedException
                        ? send(request)
                        : Future.failedFuture(e));
    return new PendingNodeResponse(
        site,
        sent.toCompletionStage().toCompletableFuture(),
        config.connectTimeout().toMillis() + readTimeout + 1000,
        response -> answer(site, response, readTimeout));
  }

  private Future<HttpClientResponse> send(RequestOptions request) {
    return client()
        .request(request)
        .compose(
            r ->
                r.send()
                    .map(
                        response -> {
                          // Paused on the event loop before any body chunk is delivered; the
                          // reader resumes it.
                          response.pause();
                          return response;
                        }));
  }

  /** The node's answer as the hub may pass it on; its body not read yet. */
  private NodeResponse answer(String site, HttpClientResponse response, long readTimeout) {
    SiteFailureLog.HUB.answered(site);
    Map<String, String> headers = new HashMap<>();
    response
        .headers()
        .forEach(
            h -> {
              String name = h.getKey().toLowerCase(Locale.ROOT);
              if (FORWARDED_RESPONSE_HEADERS.contains(name)) {
                headers.putIfAbsent(name, h.getValue());
              }
            });
    Runnable abort = () -> response.request().reset();
    NodeBodyStream body =
        new NodeBodyStream(
            response,
            abort,
            () ->
                new ReadStreamInputStream(
                    response, abort, config.bufferBytes(), readTimeout, "the node"),
            readTimeout);
    return new NodeResponse(site, response.statusCode(), Map.copyOf(headers), body);
  }

  static ProblemException failure(String site, Throwable cause) {
    if (cause instanceof TimeoutException) {
      return timeout(site, cause);
    }
    if (cause instanceof ConnectException
        || cause instanceof UnknownHostException
        || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return unavailable(site, "not reachable", cause);
    }
    if (VerifiedTrust.refusal(cause)) {
      // Not "down": a certificate the hub does not trust, or one not naming the URL's host.
      SiteFailureLog.HUB.failed(
          site, "node of site " + site + ": its TLS certificate was not accepted: " + cause);
      return new ProblemException(
          ErrorCode.SITE_UNAVAILABLE,
          "the node of site "
              + site
              + " is unavailable (its TLS certificate was not accepted); other sites are"
              + " unaffected",
          Map.of("site", site),
          cause);
    }
    return unavailable(site, "failed", cause);
  }

  static ProblemException unavailable(String site, String what, Throwable cause) {
    SiteFailureLog.HUB.failed(site, "node of site " + site + " " + what + ": " + cause);
    return new ProblemException(
        ErrorCode.SITE_UNAVAILABLE,
        "the node of site " + site + " is unavailable; other sites are unaffected",
        Map.of("site", site),
        cause);
  }

  static ProblemException timeout(String site, Throwable cause) {
    SiteFailureLog.HUB.failed(site, "node of site " + site + " timed out: " + cause);
    return new ProblemException(
        ErrorCode.SITE_TIMEOUT,
        "the node of site " + site + " did not answer in time",
        Map.of("site", site),
        cause);
  }
}
