package io.ponte.hub.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * A page's form POST ({@link FormPost}) must be URL-encoded and carry a token {@link FormTokens}
 * issued to this sign-in; otherwise 415 or 400 and the resource never runs. Name-bound, so only
 * those methods read their body as a form: a global form reader would parse a multipart body sent
 * to any endpoint, signed in or not. Unsafe methods fail closed whatever their content type (a
 * {@code text/plain} form needs no preflight).
 */
public class FormTokenCheck {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Inject FormTokens tokens;
  @Inject SecurityIdentity identity;

  @FormPost
  @ServerRequestFilter
  @WithFormRead
  public Response check(ResteasyReactiveContainerRequestContext request) {
    if (SAFE.contains(request.getMethod())) {
      return null;
    }
    MediaType type = request.getMediaType();
    if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
      return Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE).build();
    }
    Object token =
        ((ResteasyReactiveRequestContext) request.getServerRequestContext())
            .getFormParameter(FormTokens.FIELD, true, false);
    if (token instanceof String value && tokens.accepts(value, identity)) {
      return null;
    }
    return Response.status(Response.Status.BAD_REQUEST).build();
  }
}
