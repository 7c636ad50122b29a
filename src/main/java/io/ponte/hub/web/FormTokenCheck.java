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
 * Every form POST (URL-encoded or multipart/form-data) must carry a token {@link FormTokens} issued
 * to this sign-in; otherwise 400 and the resource never runs. Other bodies (the bearer-only APIs'
 * JSON, FHIR, STOW multipart/related) are not forms a browser can send from another site, so they
 * are not checked.
 */
public class FormTokenCheck {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Inject FormTokens tokens;
  @Inject SecurityIdentity identity;

  @ServerRequestFilter
  @WithFormRead
  public Response check(ResteasyReactiveContainerRequestContext request) {
    if (SAFE.contains(request.getMethod())) {
      return null;
    }
    MediaType type = request.getMediaType();
    if (type == null
        || !(type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
            || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE))) {
      return null;
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
