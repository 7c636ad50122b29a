package io.ponte.hub.web.authority;

import io.ponte.error.ProblemException;
import io.ponte.hub.oversight.DateRange;
import io.ponte.hub.oversight.EmergencyReviews;
import io.ponte.hub.oversight.FigureCsv;
import io.ponte.hub.oversight.FigureTable;
import io.ponte.hub.oversight.OversightFigures;
import io.ponte.hub.oversight.RetrievalLatency;
import io.ponte.hub.web.FormPost;
import io.ponte.hub.web.PageAccess;
import io.ponte.hub.web.PageContext;
import io.ponte.hub.web.Pages;
import io.ponte.hub.web.WebConfig;
import io.ponte.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The authority's dashboard at {@code /authority}: the figures of {@link OversightFigures} for a
 * date range as charts and tables, each table also as CSV ({@code /authority/<table>.csv}) and the
 * charts' data as JSON ({@code /authority/figures.json}), and the review of emergency accesses.
 * Role authority; counts and audit metadata only, never an image.
 */
@Path("/hub/authority")
public class AuthorityPages {

  /** Columns holding a site or organisation id: shown by name on the page, as ids in the CSV. */
  private static final Set<String> SITE_COLUMNS = Set.of("site", "organization");

  /** A table as the page shows it. */
  public record ShownTable(
      String id, List<String> columns, List<List<Cell>> rows, String csvHref, boolean chart) {}

  /**
   * One cell as people read it; a day or a time also machine-readable (ISO), for {@code <time>}
   * (null: not one).
   */
  public record Cell(String text, String datetime) {}

  /** An emergency access awaiting review, with its review form. */
  public record PendingRow(
      String id,
      String clinician,
      String organization,
      String reason,
      String opened,
      String isoOpened,
      String until) {}

  /** p50/p95 as the page shows them; null when nothing was measured. */
  /** The retrieve percentiles; {@code recent} false: none in the last few minutes. */
  public record Latency(String p50, String p95, long count, boolean recent) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance dashboard(
        String from,
        String to,
        String period,
        String error,
        String reviewError,
        boolean reviewed,
        List<ShownTable> tables,
        List<PendingRow> pending,
        String pendingCsvHref,
        Latency latency,
        String chartDataHref);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject OversightFigures figures;

  @Inject EmergencyReviews reviews;

  @Inject RetrievalLatency latency;

  @Inject WebConfig config;

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response dashboard(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("reviewed") String reviewed) {
    access.require(Roles.AUTHORITY);
    DateRange range;
    try {
      range = range(from, to);
    } catch (ProblemException e) {
      return render(null, from, to, e, false);
    }
    return render(range, from, to, null, reviewed != null);
  }

  /** The charts' data: every table of the range, with its caption in the page's language. */
  @GET
  @Path("/figures.json")
  @Produces(MediaType.APPLICATION_JSON)
  public Response chartData(@QueryParam("from") String from, @QueryParam("to") String to) {
    access.require(Roles.AUTHORITY);
    OversightFigures.Figures f = figures.figures(range(from, to), config.timeZone());
    AuthorityMessages words = words();
    List<Map<String, Object>> tables = new ArrayList<>();
    for (FigureTable t : f.all()) {
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("id", t.id());
      table.put("caption", words.caption(t.id()));
      table.put("columns", t.columns());
      table.put("rows", t.rows());
      table.put("chart", t.chart());
      tables.add(table);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", f.range().from().toString());
    body.put("to", f.range().to().toString());
    body.put("tables", tables);
    // chart labels by name, as the tables show them; a day in the page's language (the rows keep
    // ISO dates, the axis reads "06/12/2026" or "6 Dec 2026")
    Map<String, String> names = new LinkedHashMap<>();
    DateTimeFormatter day =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(page.locale());
    for (FigureTable t : f.all()) {
      for (int i = 0; i < t.columns().size(); i++) {
        if (t.columns().get(i).equals("day")) {
          for (List<String> row : t.rows()) {
            names.put(row.get(i), day.format(LocalDate.parse(row.get(i))));
          }
        } else if (SITE_COLUMNS.contains(t.columns().get(i))) {
          for (List<String> row : t.rows()) {
            names.put(row.get(i), figures.siteName(row.get(i)));
          }
        } else if (t.columns().get(i).equals("choice")) {
          for (List<String> row : t.rows()) {
            names.put(row.get(i), words.choice(row.get(i)));
          }
        }
      }
    }
    body.put("names", names);
    // the rows name clinicians and emergency reasons: no copy in a shared computer's cache
    return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
  }

  /** One table as CSV: the same rows as the page (ids rather than display names). */
  @GET
  @Path("/{table}.csv")
  @Produces("text/csv")
  public Response csv(
      @PathParam("table") String table,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    access.require(Roles.AUTHORITY);
    if (!OversightFigures.TABLES.contains(table)) {
      return Response.status(Response.Status.NOT_FOUND).build();
    }
    OversightFigures.Figures f = figures.figures(range(from, to), config.timeZone());
    String name = "ponte-" + table + "-" + f.range().from() + "-" + f.range().to() + ".csv";
    return Response.ok(FigureCsv.of(f.table(table)), "text/csv; charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .build();
  }

  /**
   * Marks an emergency access reviewed (form POST; the CSRF token is checked by FormTokenCheck
   * before this runs). Back to the dashboard on success; the dashboard with the reason otherwise.
   */
  @POST
  @FormPost
  @Path("/emergency/{id}/review")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response review(
      @PathParam("id") String id,
      @FormParam("comment") String comment,
      @FormParam("from") String from,
      @FormParam("to") String to) {
    access.require(Roles.AUTHORITY);
    try {
      reviews.review(id, comment);
    } catch (ProblemException e) {
      DateRange range;
      try {
        range = range(from, to);
      } catch (ProblemException bad) {
        range = range(null, null);
      }
      return render(range, from, to, e, false);
    }
    return Response.seeOther(URI.create("/authority?" + query(from, to) + "reviewed=1#emergency"))
        .build();
  }

  /** The period in the page's language ("1 de novembro de 2026 a 30 de novembro de 2026"). */
  private String period(DateRange range) {
    DateTimeFormatter date = date();
    return words().periodSummary(date.format(range.from()), date.format(range.to()));
  }

  /** A bad range in the page's words, by its fault; null when the refusal was not the range's. */
  private String rangeError(ProblemException error) {
    return error instanceof DateRange.Invalid bad
        ? words().rangeError(bad.fault().name(), DateRange.MAX_DAYS)
        : null;
  }

  /** A refused review in the page's words, by the service's error code (never its detail). */
  private String reviewError(ProblemException error) {
    return error == null || error instanceof DateRange.Invalid
        ? null
        : words().reviewRefused(error.code().name(), EmergencyReviews.MAX_COMMENT);
  }

  private Response render(
      DateRange range, String fromParam, String toParam, ProblemException error, boolean reviewed) {
    List<ShownTable> tables = List.of();
    List<PendingRow> pending = List.of();
    String from = fromParam == null ? "" : fromParam;
    String to = toParam == null ? "" : toParam;
    String rangeQuery = query(fromParam, toParam);
    if (range != null) {
      from = range.from().toString();
      to = range.to().toString();
      rangeQuery = query(from, to);
      OversightFigures.Figures f = figures.figures(range, config.timeZone());
      tables = shown(f, rangeQuery);
      pending = pending(f.table(OversightFigures.EMERGENCY));
    }
    Latency measured =
        latency
            .current()
            .map(
                p ->
                    new Latency(
                        String.format(Locale.ROOT, "%.0f", p.p50Millis()),
                        String.format(Locale.ROOT, "%.0f", p.p95Millis()),
                        p.retrieves(),
                        p.recent()))
            .orElse(null);
    TemplateInstance html =
        Pages.localized(
            Templates.dashboard(
                from,
                to,
                range == null ? null : period(range),
                rangeError(error),
                reviewError(error),
                reviewed,
                tables,
                pending,
                "/authority/" + OversightFigures.EMERGENCY + ".csv?" + trim(rangeQuery),
                measured,
                "/authority/figures.json?" + trim(rangeQuery)),
            page);
    return Response.status(error == null ? 200 : error.code().status())
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(html.render())
        .build();
  }

  private List<ShownTable> shown(OversightFigures.Figures f, String rangeQuery) {
    AuthorityMessages words = words();
    List<ShownTable> shown = new ArrayList<>();
    for (FigureTable t : f.all()) {
      if (t.id().equals(OversightFigures.EMERGENCY)) {
        continue; // its own section, with the review forms
      }
      List<List<Cell>> rows = new ArrayList<>();
      for (List<String> row : t.rows()) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          String column = t.columns().get(i);
          String cell = row.get(i);
          String datetime = null;
          if (SITE_COLUMNS.contains(column) && !cell.isEmpty()) {
            cell = figures.siteName(cell);
          } else if (column.equals("choice")) {
            cell = words.choice(cell);
          } else if (column.equals("node")) {
            cell = words.node(cell.isEmpty() ? "none" : cell);
          } else if (column.equals("day") && !cell.isEmpty()) {
            // as the period is written; the CSV and JSON keep ISO dates
            datetime = cell;
            cell = date().format(LocalDate.parse(cell));
          } else if (column.equals("last_publication") && !cell.isEmpty()) {
            datetime = cell;
            cell = dateTime().format(java.time.Instant.parse(cell));
          } else if (column.equals(OversightFigures.LAG_SECONDS) && !cell.isEmpty()) {
            // people read "1 h 2 min"; the CSV and JSON keep the seconds
            cell = HumanDurations.of(Long.parseLong(cell), words::days);
          }
          cells.add(new Cell(cell, datetime));
        }
        rows.add(cells);
      }
      shown.add(
          new ShownTable(
              t.id(),
              t.columns(),
              rows,
              "/authority/" + t.id() + ".csv?" + trim(rangeQuery),
              t.chart()));
    }
    return shown;
  }

  private List<PendingRow> pending(FigureTable table) {
    DateTimeFormatter when = dateTime();
    return table.rows().stream()
        .map(
            r ->
                new PendingRow(
                    r.get(0),
                    // the clinician's name when the grant recorded it, else their username
                    r.get(6).isEmpty() ? r.get(1) : r.get(6),
                    r.get(2).isEmpty() ? "" : figures.siteName(r.get(2)),
                    r.get(3),
                    when.format(java.time.Instant.parse(r.get(4))),
                    r.get(4),
                    when.format(java.time.Instant.parse(r.get(5)))))
        .toList();
  }

  private DateRange range(String from, String to) {
    return DateRange.parse(from, to, LocalDate.now(config.timeZone()));
  }

  private AuthorityMessages words() {
    return MessageBundles.get(AuthorityMessages.class, Localized.Literal.of(page.lang()));
  }

  private DateTimeFormatter date() {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(page.locale());
  }

  private DateTimeFormatter dateTime() {
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(page.locale())
        .withZone(config.timeZone());
  }

  /** {@code from=..&to=..&} for the parameters given (empty ones left out). */
  private static String query(String from, String to) {
    StringBuilder q = new StringBuilder();
    if (from != null && !from.isBlank()) {
      q.append("from=").append(URLEncoder.encode(from, StandardCharsets.UTF_8)).append('&');
    }
    if (to != null && !to.isBlank()) {
      q.append("to=").append(URLEncoder.encode(to, StandardCharsets.UTF_8)).append('&');
    }
    return q.toString();
  }

  private static String trim(String query) {
    return query.endsWith("&") ? query.substring(0, query.length() - 1) : query;
  }
}
