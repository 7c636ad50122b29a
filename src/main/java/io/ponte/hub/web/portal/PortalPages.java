package io.ponte.hub.web.portal;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditLogReader;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.audit.PatientView;
import io.ponte.hub.audit.PatientViews;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentService;
import io.ponte.hub.consent.EmergencyAudit;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.site.HubSites;
import io.ponte.hub.web.FormPost;
import io.ponte.hub.web.OrganisationNames;
import io.ponte.hub.web.PageAccess;
import io.ponte.hub.web.PageContext;
import io.ponte.hub.web.Pages;
import io.ponte.hub.web.WebConfig;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The patient portal at {@code /portal}: the patient's studies at every site, their sharing
 * choices, and who accessed their records. Role patient; the data comes from the same services as
 * the APIs.
 */
@Path("/hub/portal")
@Produces(MediaType.TEXT_HTML)
public class PortalPages {

  static final int LOG_PAGE_SIZE = 50;

  /** A study row, formatted for the page's language and the region's time zone. */
  public record StudyRow(
      String date, String isoDate, List<String> modalities, String description, String site) {}

  /**
   * An access-log row: the requests one actor made on one day about the same studies, for the same
   * purpose and with the same result ({@code count} of them, from {@code firstTime} to {@code
   * lastTime}); {@code studies} in words where the study is one of the patient's.
   */
  public record AccessRow(
      String day,
      String isoDay,
      String firstTime,
      String lastTime,
      String isoFirst,
      String isoLast,
      long count,
      String who,
      boolean siteSystem,
      String organization,
      String action,
      String purpose,
      String outcome,
      List<String> studies,
      boolean identityDetails,
      boolean emergency) {

    /** Refused: the page keeps refusals visible and marks them. */
    public boolean denied() {
      return "denied".equals(outcome);
    }
  }

  /** One organisation the patient may tick on the sharing form. */
  public record Organization(String id, String name, boolean checked) {}

  /**
   * The sharing page: today's choice in words ({@code summary} all / none / except, with the names
   * not shared with), the region's default, the form (kept as sent when refused), and the flash or
   * error message.
   */
  public record Sharing(
      String summary,
      List<String> notSharedWith,
      boolean optIn,
      List<Organization> organizations,
      String choice,
      String from,
      String until,
      boolean recorded,
      String error,
      String errorArgument) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance studies(List<StudyRow> rows, String newerHref, String olderHref);

    static native TemplateInstance sharing(Sharing sharing);

    static native TemplateInstance accessLog(
        List<AccessRow> rows, long emergencies, String olderHref, String newestHref);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject PortalStudies studies;

  @Inject AuditLogReader auditLog;

  @Inject AuditTrail audit;

  @Inject PatientViews views;

  @Inject IdentityService identity;

  @Inject Caller caller;

  @Inject HubSites sites;

  @Inject OrganisationNames organisations;

  @Inject WebConfig config;

  @Inject ConsentService consents;

  @Inject ConsentDecisions decisions;

  @GET
  public TemplateInstance studies(@QueryParam("page") String pageParam) {
    access.require(Roles.PATIENT);
    int number = nonNegative(pageParam);
    PortalStudies.Page found = studies.page(number, PortalStudies.PAGE_SIZE);
    DateTimeFormatter date = dateFormat();
    List<StudyRow> rows =
        found.studies().stream()
            .map(
                s ->
                    new StudyRow(
                        s.started() == null ? "" : date.format(s.started()),
                        s.started() == null ? "" : s.started().toString(),
                        s.modalities(),
                        s.description() == null ? "" : s.description(),
                        s.site()))
            .toList();
    return Pages.localized(
        Templates.studies(
            rows,
            number > 0 ? "/portal?page=" + (number - 1) : null,
            found.hasNext() ? "/portal?page=" + (number + 1) : null),
        page);
  }

  @GET
  @Path("/sharing")
  public TemplateInstance sharing(@QueryParam("recorded") String recorded) {
    access.require(Roles.PATIENT);
    return Pages.localized(
        Templates.sharing(sharing(null, null, "", "", recorded != null, null, null)), page);
  }

  /**
   * The sharing form: records the choice as a new Consent through the same service as {@code POST
   * /fhir/Consent} (its validation, audit and immediate effect), then redirects to the page with a
   * confirmation; a refused form is shown again with the reason, nothing stored. The CSRF token is
   * checked by FormTokenCheck before this runs.
   */
  @POST
  @FormPost
  @Path("/sharing")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response choose(
      @RestForm String choice,
      @RestForm("organization") List<String> organizations,
      @RestForm String from,
      @RestForm String until) {
    access.require(Roles.PATIENT);
    String regionalId = caller.patientId().orElse("");
    String error;
    String argument = null;
    int status = Response.Status.BAD_REQUEST.getStatusCode();
    try {
      SharingChoice chosen = SharingChoice.of(choice, organizations, from, until, sites);
      consents.record(chosen.consent(regionalId, decisions.policy().optIn(), config.timeZone()));
      return Response.seeOther(URI.create("/portal/sharing?recorded=1")).build();
    } catch (SharingChoice.Invalid e) {
      error = e.key;
      argument = e.argument;
    } catch (ProblemException e) {
      // the service's own refusal (a patient not linked yet, the audit trail down): said in the
      // page's words, with the service's status (a 503 stays one: trying again may work)
      error = "errorRefused";
      argument = refusal(e.code());
      status = e.code().status();
    }
    Sharing again =
        sharing(
            choice,
            organizations == null ? List.of() : organizations,
            from == null ? "" : from,
            until == null ? "" : until,
            false,
            error,
            argument);
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE)
        .entity(Pages.localized(Templates.sharing(again), page))
        .build();
  }

  /** The kind of a service refusal the sharing page words (PortalMessages#errorRefused). */
  static String refusal(ErrorCode code) {
    if (code.status() == 503) {
      return "UNAVAILABLE";
    }
    return code == ErrorCode.FORBIDDEN ? "UNLINKED" : "OTHER";
  }

  private Sharing sharing(
      String choice,
      List<String> ticked,
      String from,
      String until,
      boolean recorded,
      String error,
      String errorArgument) {
    List<ConsentService.SiteSharing> today = consents.sharingOf(caller.patientId().orElse(""));
    List<String> notShared =
        today.stream().filter(s -> !s.shared()).map(ConsentService.SiteSharing::name).toList();
    String summary =
        notShared.isEmpty()
            ? SharingChoice.ALL
            : notShared.size() == today.size() ? SharingChoice.NONE : SharingChoice.EXCEPT;
    // a fresh page shows today's choice; a refused form, what was sent
    List<String> checked =
        ticked != null
            ? ticked
            : today.stream()
                .filter(s -> !s.shared() && SharingChoice.EXCEPT.equals(summary))
                .map(ConsentService.SiteSharing::organization)
                .toList();
    List<Organization> organizations =
        sites.sites().stream()
            .map(s -> new Organization(s.id(), s.name(), checked.contains(s.id())))
            .toList();
    return new Sharing(
        summary,
        notShared,
        decisions.policy().optIn(),
        organizations,
        choice == null ? summary : choice,
        from,
        until,
        recorded,
        error,
        errorArgument);
  }

  /**
   * Reading the trail is itself audited, as her AuditEvent search is; the page does not list it (it
   * leaves out what she did herself).
   */
  @GET
  @Path("/access-log")
  @Transactional
  public TemplateInstance accessLog(@QueryParam("before") String beforeParam) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "AuditEvent"),
        record -> accessLogPage(beforeParam, record));
  }

  private TemplateInstance accessLogPage(String beforeParam, AccessAudited.Builder record) {
    access.require(Roles.PATIENT);
    String regionalId = caller.patientId().orElse("");
    Long before = positiveOrNull(beforeParam);
    record.regionalId(regionalId).query(before == null ? null : "before=" + before);
    List<String> patientIds = identity.patientIdsOf(regionalId);
    List<AuditLogReader.Access> groups =
        auditLog.aboutPatient(
            regionalId, patientIds, caller.subject(), config.timeZone(), before, LOG_PAGE_SIZE + 1);
    boolean more = groups.size() > LOG_PAGE_SIZE;
    groups = groups.subList(0, Math.min(groups.size(), LOG_PAGE_SIZE));
    // A search that found other people too names their studies: not hers to see. The same view
    // as her AuditEvent search's (PatientViews).
    PatientView view =
        views.of(
            regionalId,
            patientIds,
            caller.subject(),
            groups.stream().flatMap(g -> g.studyUids().stream()).toList());
    Map<String, String> studyNames = studyNames(groups);
    DateTimeFormatter day =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(page.locale());
    DateTimeFormatter time =
        DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    List<AccessRow> rows = new ArrayList<>();
    for (AuditLogReader.Access a : groups) {
      rows.add(
          new AccessRow(
              day.format(a.day()),
              a.day().toString(),
              time.format(a.first()),
              time.format(a.last()),
              a.first().toString(),
              a.last().toString(),
              a.count(),
              a.who(),
              a.siteSystem(),
              // a node acts for its site, a person for their organisation
              organizationName(a.organization() != null ? a.organization() : a.site()),
              actionKey(a),
              a.purpose(),
              a.outcome(),
              // hers only (the view), in words
              view.studies(a.studyUids()).stream()
                  .map(studyNames::get)
                  .filter(java.util.Objects::nonNull)
                  .toList(),
              // a read of her Patient record names no study: say what was read instead of a blank
              a.studyUids().isEmpty() && "Patient".equals(a.resourceType()),
              a.emergency()));
    }
    long emergencies =
        groups.stream()
            .filter(AuditLogReader.Access::emergency)
            .mapToLong(AuditLogReader.Access::count)
            .sum();
    String older =
        more ? "/portal/access-log?before=" + groups.get(groups.size() - 1).lastSeq() : null;
    record.detail(rows.size() + " lines of her access log");
    return Pages.localized(
        Templates.accessLog(rows, emergencies, older, before != null ? "/portal/access-log" : null),
        page);
  }

  /**
   * What the access log says was done: an emergency grant's "create" is opening emergency access to
   * her records (not "added" something), its "update" is ending it; a hospital's system updating a
   * study is that hospital registering it in the region; anything else as recorded.
   */
  private static String actionKey(AuditLogReader.Access a) {
    if (EmergencyAudit.GRANT.equals(a.resourceType())) {
      return "emergency-" + a.action();
    }
    return a.siteSystem() && "update".equals(a.action()) ? "register" : a.action();
  }

  /**
   * The patient's own studies in words ("date · CT · description") for the UIDs the log names, read
   * (and audited) like the studies page; a UID that is not theirs is left out of the log.
   */
  private Map<String, String> studyNames(List<AuditLogReader.Access> groups) {
    Map<String, String> names = new HashMap<>();
    if (groups.stream().allMatch(g -> g.studyUids().isEmpty())) {
      return names;
    }
    DateTimeFormatter date = dateFormat();
    for (PortalStudies.Study s : studies.page(0, 100).studies()) {
      if (s.uid() != null) {
        String started = s.started() == null ? "" : date.format(s.started()) + " · ";
        String description = s.description() == null ? "" : " · " + s.description();
        names.put(s.uid(), started + String.join(", ", s.modalities()) + description);
      }
    }
    return names;
  }

  private String organizationName(String organization) {
    return organisations.name(organization, page.lang());
  }

  private DateTimeFormatter dateFormat() {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
        .withLocale(page.locale())
        .withZone(config.timeZone());
  }

  /** Paging parameters from links: anything else shows the first page rather than an error. */
  private static int nonNegative(String value) {
    try {
      return value == null ? 0 : Math.max(0, Math.min(Integer.parseInt(value), 10_000));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Long positiveOrNull(String value) {
    try {
      long n = value == null ? 0 : Long.parseLong(value);
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
