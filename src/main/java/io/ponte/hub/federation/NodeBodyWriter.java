package io.ponte.hub.federation;

import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a {@link NodeBody} the way Quarkus REST writes an AsyncFile: the request is suspended and the node's
 * body is piped into the Vert.x response by a {@link NodePipe}; the request resumes when the pipe is done.
 * The audit has committed before any entity is written, so the first byte still follows the audit.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class NodeBodyWriter implements ServerMessageBodyWriter<NodeBody> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return NodeBody.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return NodeBody.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(NodeBody body, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        HttpServerResponse out = request.serverRequest().unwrap(HttpServerResponse.class);
        io.vertx.core.http.HttpConnection connection = request.serverRequest()
                .unwrap(io.vertx.core.http.HttpServerRequest.class).connection();
        request.suspend();
        new NodePipe(body.node(), out, connection, request::resume).start();
    }

    @Override
    public void writeTo(NodeBody body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream entityStream) {
        // Only reachable through a WriterInterceptor, which the hub does not install on this entity.
        throw new UnsupportedOperationException("a node body is only written by writeResponse");
    }
}
