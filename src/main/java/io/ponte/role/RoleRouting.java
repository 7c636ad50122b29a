package io.ponte.role;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hub and node both serve {@code /dicomweb}, with different meanings. Each role's resources are
 * declared under an internal prefix ({@code /hub/...}, {@code /node/...}); this pre-matching filter
 * maps a public path onto the running role's prefix, so the other role's resources are unreachable
 * (404) and the internal prefixes are never addressable from outside.
 */
public class RoleRouting {

  // Looked up per request: RESTEasy Reactive builds filters at static init, before runtime config
  // exists.
  @Inject Instance<PonteConfig> config;

  @ServerRequestFilter(preMatching = true)
  public Response route(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    for (Role role : Role.values()) {
      if (path.equals(role.pathPrefix()) || path.startsWith(role.pathPrefix() + "/")) {
        return Response.status(Response.Status.NOT_FOUND).build();
      }
    }
    UriBuilder rewritten =
        request
            .getUriInfo()
            .getRequestUriBuilder()
            .replacePath(config.get().role().pathPrefix() + path);
    request.setRequestUri(rewritten.build());
    return null;
  }
}
