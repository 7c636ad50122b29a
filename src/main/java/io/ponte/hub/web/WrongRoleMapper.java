package io.ponte.hub.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A page asked for by someone of another role: 403 with a page that says why and how to leave. */
public class WrongRoleMapper {

  @Inject PageContext page;

  @ServerExceptionMapper
  public Response wrongRole(PageAccess.WrongRoleException e) {
    return Response.status(Response.Status.FORBIDDEN)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(WebPages.forbidden(page).render())
        .build();
  }
}
