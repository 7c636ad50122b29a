package io.ponte.request;

import io.opentelemetry.api.trace.Span;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * {@code X-Request-Id} on every request and response, hub and node alike: a caller's id is kept
 * when it is short and plain (so it can be logged, recorded and forwarded without escaping),
 * otherwise replaced by a fresh UUID. The hub records it in the audit trail and forwards it to the
 * node it proxies to, which logs it, so one retrieve can be followed across both ends.
 */
@ApplicationScoped
public class RequestIds {

  public static final String HEADER = "X-Request-Id";

  /** Key of the id in the routing context and in the logging MDC ({@code %X{requestId}}). */
  public static final String KEY = "requestId";

  /** The server span's attribute holding the id, when tracing is on. */
  public static final String SPAN_ATTRIBUTE = "ponte.request_id";

  /** Letters, digits and {@code . _ : -}, 1 to 64 of them: a UUID, a ULID, a trace id. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Runs before every other route, so even a 401 or a 404 carries the id. */
  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 10).handler(RequestIds::assign);
  }

  static void assign(RoutingContext context) {
    HttpServerRequest request = context.request();
    String id = accepted(request.getHeader(HEADER));
    context.put(KEY, id);
    context.response().putHeader(HEADER, id);
    MDC.put(KEY, id);
    // The correlation between the audit trail, the logs and the trace (a no-op while tracing is
    // off).
    Span.current().setAttribute(SPAN_ATTRIBUTE, id);
    context.addEndHandler(v -> MDC.remove(KEY));
    context.next();
  }

  /** The caller's id when it is safe to keep, else a new one. */
  public static String accepted(String offered) {
    return offered != null && SAFE.matcher(offered).matches()
        ? offered
        : UUID.randomUUID().toString();
  }

  /** The id of the request being handled, or null outside a request. */
  public static String of(RoutingContext context) {
    return context == null ? null : context.get(KEY);
  }
}
