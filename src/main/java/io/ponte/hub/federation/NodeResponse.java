package io.ponte.hub.federation;

import io.vertx.core.http.HttpClientResponse;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * A node's answer as the hub may pass it on: status, the few headers worth forwarding, and the body, still
 * paused on the event loop. The body is consumed exactly one way: piped on the event loop
 * ({@link NodeBodyWriter}), or read as a bounded, backpressured InputStream ({@link #body()}, for the small
 * bodies the hub transforms or inspects). {@link #abort()} drops the node's connection.
 */
public final class NodeResponse {

    private final String site;
    private final int status;
    private final Map<String, String> headers;
    private final HttpClientResponse source;
    private final int bufferBytes;
    private final long readTimeoutMillis;
    private InputStream body;

    NodeResponse(String site, int status, Map<String, String> headers, HttpClientResponse source, int bufferBytes,
            long readTimeoutMillis) {
        this.site = site;
        this.status = status;
        this.headers = headers;
        this.source = source;
        this.bufferBytes = bufferBytes;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public String site() {
        return site;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body as a blocking stream for a worker thread (close it to release the connection). */
    public synchronized InputStream body() {
        if (body == null) {
            body = new ReadStreamInputStream(source, this::abort, bufferBytes, readTimeoutMillis);
        }
        return body;
    }

    /** The raw, paused body, for a pipe on the event loop. */
    HttpClientResponse source() {
        return source;
    }

    /** Resets the node's request: its connection is closed, never returned half-read to the pool. */
    void abort() {
        source.request().reset();
    }
}
