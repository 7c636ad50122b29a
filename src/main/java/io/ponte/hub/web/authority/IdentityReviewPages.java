package io.ponte.hub.web.authority;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.identity.IdentityReview;
import io.ponte.hub.oversight.OversightFigures;
import io.ponte.hub.web.FormPost;
import io.ponte.hub.web.OpensRecords;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authority's review of uncertain identity matches at {@code /authority/identity}: the pairs of
 * local patients the matcher was unsure of, side by side with the score and its reasons, each with
 * a link and a reject form (a note is asked for, and kept). Decisions go through {@link
 * IdentityReview}, as the API's do: the same checks, the same audit records. Decided pairs are
 * listed under their status, with who decided, when and why.
 */
@Path("/hub/authority/identity")
public class IdentityReviewPages {

  static final int PAGE_SIZE = 20;

  private static final List<String> STATUSES = List.of("open", "accepted", "rejected");

  /** One pair as the page shows it. */
  public record ShownPair(
      long id,
      String score,
      String reasons,
      List<ShownSide> sides,
      String reviewedBy,
      String reviewedAt,
      String note) {}

  /** One side: the local patient as its site published it. */
  public record ShownSide(
      String site,
      String identifier,
      String name,
      String birthDate,
      String gender,
      String regionalId) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance identity(
        List<String> statuses,
        String status,
        List<ShownPair> pairs,
        int offset,
        Integer previous,
        Integer next,
        String error,
        String badFilter,
        String done,
        int maxNote);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject IdentityReview review;

  @Inject OversightFigures figures;

  @Inject WebConfig config;

  @GET
  @OpensRecords(role = Roles.AUTHORITY, withoutNames = true)
  @Produces(MediaType.TEXT_HTML)
  public Response list(
      @QueryParam("status") String status,
      @QueryParam("offset") Integer offset,
      @QueryParam("done") String done) {
    access.require(Roles.AUTHORITY);
    return render(status, offset, null, null, done);
  }

  @POST
  @FormPost
  @Path("/{id}/link")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response link(
      @PathParam("id") long id,
      @FormParam("note") String note,
      @FormParam("offset") Integer offset) {
    return decide(() -> review.link(id, note), offset, "linked");
  }

  @POST
  @FormPost
  @Path("/{id}/reject")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response reject(
      @PathParam("id") long id,
      @FormParam("note") String note,
      @FormParam("offset") Integer offset) {
    return decide(() -> review.reject(id, note), offset, "rejected");
  }

  /**
   * Records a decision, then back to the list saying so (POST-redirect-GET); a refusal shows the
   * list again with the reason, in the page's words by the service's error code, and its status.
   */
  private Response decide(Runnable decision, Integer offset, String done) {
    access.require(Roles.AUTHORITY);
    try {
      decision.run();
    } catch (ProblemException e) {
      return render(null, offset, e, done, null);
    }
    int from = offset == null || offset < 0 ? 0 : offset;
    return Response.seeOther(
            URI.create("/authority/identity?offset=" + from + "&done=" + done + "#pairs"))
        .build();
  }

  private Response render(
      String statusParam, Integer offset, ProblemException error, String decision, String done) {
    String status = statusParam == null || statusParam.isBlank() ? "open" : statusParam;
    int from = offset == null ? 0 : offset;
    List<ShownPair> pairs = List.of();
    Integer previous = null;
    Integer next = null;
    int code = error == null ? 200 : error.code().status();
    String message =
        error == null
            ? null
            : words().decisionRefused(error.code().name(), decision, IdentityReview.MAX_NOTE);
    String badFilter = null;
    try {
      IdentityReview.Page found = review.list(status, PAGE_SIZE, from);
      pairs = found.pairs().stream().map(this::shown).toList();
      previous = from > 0 ? Math.max(0, from - PAGE_SIZE) : null;
      next = found.more() ? from + PAGE_SIZE : null;
    } catch (ProblemException e) {
      if (e.code() != ErrorCode.BAD_REQUEST) {
        throw e; // e.g. 403 or 503: not the filter's fault, said as any such refusal is
      }
      // a status or offset typed into the address bar: said on the page in its words (the
      // service's detail names the API's parameters), with its status
      code = e.code().status();
      badFilter = STATUSES.contains(status) ? "offset" : "status";
    }
    TemplateInstance html =
        Pages.localized(
            Templates.identity(
                STATUSES,
                status,
                pairs,
                from,
                previous,
                next,
                message,
                badFilter,
                known(done),
                IdentityReview.MAX_NOTE),
            page);
    return Response.status(code)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(html.render())
        .build();
  }

  private static String known(String done) {
    return "linked".equals(done) || "rejected".equals(done) ? done : null;
  }

  private ShownPair shown(IdentityReview.Pair p) {
    DateTimeFormatter when =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    return new ShownPair(
        p.id(),
        score(p.score(), page.locale()),
        reasonsInWords(p.reasons()),
        List.of(side(p.a()), side(p.b())),
        // the reviewer's name when recorded, else their username
        p.reviewedByName() != null ? p.reviewedByName() : p.reviewedBy(),
        p.reviewedAt() == null ? "" : when.format(p.reviewedAt()),
        p.note() == null ? "" : p.note());
  }

  /**
   * The matcher's stated reasons (MatchScorer: "name 0.95 (a, b) unmatched: c; sex same") in words.
   */
  private String reasonsInWords(String reasons) {
    if (reasons == null || reasons.isBlank()) {
      return "";
    }
    AuthorityMessages words = words();
    List<String> out = new ArrayList<>();
    for (String reason : reasons.split("; ")) {
      Matcher name = NAME_REASON.matcher(reason);
      out.add(
          name.matches()
              ? words.nameReason(
                  score(Double.parseDouble(name.group(1)), page.locale()),
                  name.group(2) == null ? "" : name.group(2),
                  name.group(3) == null ? "" : name.group(3))
              : words.matchReason(reason));
    }
    return String.join("; ", out);
  }

  private AuthorityMessages words() {
    return MessageBundles.get(AuthorityMessages.class, Localized.Literal.of(page.lang()));
  }

  private static final Pattern NAME_REASON =
      Pattern.compile("name (\\d\\.\\d\\d)(?: \\(([^)]*)\\))?(?: unmatched: (.*))?");

  /** A match score as the page's language writes a number: 0.95 in English, 0,95 in Portuguese. */
  static String score(double score, Locale locale) {
    return String.format(locale, "%.2f", score);
  }

  /** A birth date as the page's language writes a date, as every other date on the pages. */
  static String birthDate(LocalDate born, Locale locale) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(born);
  }

  private ShownSide side(IdentityReview.Side s) {
    String name =
        String.join(
                ", ",
                List.of(s.family() == null ? "" : s.family(), s.given() == null ? "" : s.given()))
            .replaceAll("^, |, $", "");
    return new ShownSide(
        s.site() == null ? "" : figures.siteName(s.site()),
        s.value(),
        name,
        s.birthDate() == null ? "" : birthDate(s.birthDate(), page.locale()),
        s.gender() == null ? "" : s.gender(),
        s.regionalId() == null ? "" : s.regionalId());
  }
}
