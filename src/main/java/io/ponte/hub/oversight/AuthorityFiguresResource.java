package io.ponte.hub.oversight;

import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/authority/figures?from=&to=}: the dashboard's figures for a bearer caller (the
 * authority, or an admin), as {@code {from, to, tables: {id: {columns, rows}}}}, the same rows as
 * the page and its CSV. A malformed or reversed range is 400 problem+json.
 */
@Path("/hub/api/authority/figures")
@Produces(MediaType.APPLICATION_JSON)
public class AuthorityFiguresResource {

  @Inject OversightFigures figures;

  @ConfigProperty(name = "ponte.web.time-zone", defaultValue = "Europe/Lisbon")
  ZoneId zone;

  @GET
  @RolesAllowed({Roles.AUTHORITY, Roles.ADMIN})
  public Map<String, Object> figures(@QueryParam("from") String from, @QueryParam("to") String to) {
    OversightFigures.Figures f =
        figures.figures(DateRange.parse(from, to, LocalDate.now(zone)), zone);
    Map<String, Object> tables = new LinkedHashMap<>();
    for (FigureTable t : f.all()) {
      tables.put(t.id(), Map.of("columns", t.columns(), "rows", t.rows()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", f.range().from().toString());
    body.put("to", f.range().to().toString());
    body.put("tables", tables);
    return body;
  }
}
