package io.ponte.hub.web.clinician;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.dicomweb.StudyAvailability;
import io.ponte.hub.dicomweb.StudyRestore;
import io.ponte.hub.viewer.ViewerAppConfig;
import io.ponte.hub.viewer.ViewerDeepLink;
import io.ponte.hub.web.FormPost;
import io.ponte.hub.web.OpensRecords;
import io.ponte.hub.web.PageAccess;
import io.ponte.hub.web.PageContext;
import io.ponte.hub.web.Pages;
import io.ponte.hub.web.WebConfig;
import io.ponte.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Opening a prior that is not online (the timeline's action for an archived, being-restored or
 * unreachable study): says where the study is and in what state, lets the clinician start its
 * restore deliberately (a form POST, never a GET: a restore costs the hospital a Blob rehydration),
 * then follows it (the page reloads itself) until it is online and offers the viewer. The study is
 * found through the same consent-filtered, audited search as the timeline; the restore is the
 * viewer's own retrieve ({@link StudyRestore}), with its consent decision and audit. The form lives
 * at one fixed path, so that its address is stable.
 */
@Path("/hub/clinician/restore")
@Produces(MediaType.TEXT_HTML)
public class RestorePages {

  /** The longest the page waits before asking again (a restore on Azure takes hours). */
  static final Duration MAX_REFRESH = Duration.ofSeconds(60);

  /** The shortest: a demo's restore takes seconds, but a node is not asked every second. */
  static final Duration MIN_REFRESH = Duration.ofSeconds(5);

  /**
   * The page's state: the study (its UID; as the timeline names it, null when the clinician may not
   * see it), its availability, when it is expected back (local and ISO; null when not said),
   * whether that time has passed (the page checks by asking again), seconds until the page reloads
   * (0: it does not), the viewer's address and what went wrong with the last request (a message).
   */
  public record Restore(
      String study,
      SendPages.ShownStudy shown,
      String back,
      StudyAvailability.State state,
      String expectedBy,
      String isoExpectedBy,
      boolean due,
      long refreshSeconds,
      String selfHref,
      String viewerHref,
      String error) {

    /**
     * Opened from a timeline (in the workspace's window), so the study opens in the viewer's
     * window; sent by the viewer itself (OHIF's list or a direct load), it opens where it is.
     */
    public boolean fromTimeline() {
      return !back.equals("/");
    }
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance restore(Restore restore);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject ClinicianSearch search;

  @Inject StudyAvailability availability;

  @Inject StudyRestore restores;

  @Inject WebConfig config;

  @Inject io.quarkus.security.identity.SecurityIdentity identity;

  /** The timeline's link for one study. */
  static String href(String studyUid, String timeline) {
    return "/clinician/restore?study="
        + URLEncoder.encode(studyUid, StandardCharsets.UTF_8)
        + "&back="
        + URLEncoder.encode(timeline, StandardCharsets.UTF_8);
  }

  /** Where the study is and what it is doing now; asking starts nothing. */
  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  public Response show(
      @QueryParam("study") String study,
      @QueryParam("back") String back,
      @QueryParam("next") String next,
      @QueryParam("open") String open,
      @QueryParam("viewer") String viewer) {
    // the viewer's mode the route was for (open=viewer, open=segmentation...), or none
    String mode = open != null && ViewerAppConfig.MODES.contains(open) ? open : null;
    boolean toViewer = mode != null && io.ponte.dicom.UID.isValid(trim(study));
    // a deep link's series, checked again: this parameter is anyone's to write
    String deepLink = ViewerDeepLink.carried(viewer);
    if (toViewer && !identity.hasRole(Roles.CLINICIAN)) {
      // A patient opening their own study in OHIF: not this page's to look after.
      return Response.seeOther(URI.create(ViewerAppConfig.studyHref(mode, trim(study)) + deepLink))
          .build();
    }
    access.require(Roles.CLINICIAN);
    Optional<ClinicianSearch.NamedStudy> found = search.study(trim(study));
    if (found.isEmpty()) {
      return refused(trim(study), back);
    }
    StudyAvailability.Availability now =
        nextCheck(current(found.get().study()), next, Instant.now());
    if (toViewer
        && (now.state() == StudyAvailability.State.ONLINE
            || now.state() == StudyAvailability.State.UNKNOWN)) {
      // The viewer's route sent it here to look first: online (or not known), on it goes.
      return Response.seeOther(
              URI.create(ViewerAppConfig.studyHref(mode, found.get().study().uid()) + deepLink))
          .build();
    }
    return page(found.get(), back, now, null, Response.Status.OK.getStatusCode());
  }

  /**
   * A restore past its expected time that the node was just asked about (the POST below) stays
   * "being restored" until the node said to ask again ({@code next}, from its 202): the node's
   * index keeps the first request's time, so without it the page would ask again at once, and
   * again. A {@code next} that is past, unreadable or more than a day away changes nothing.
   */
  static StudyAvailability.Availability nextCheck(
      StudyAvailability.Availability a, String next, Instant now) {
    if (next == null || !ClinicianPages.restoreDue(a, now)) {
      return a;
    }
    try {
      Instant at = Instant.parse(next);
      return at.isAfter(now) && at.isBefore(now.plus(Duration.ofDays(1)))
          ? new StudyAvailability.Availability(StudyAvailability.State.RESTORING, at)
          : a;
    } catch (java.time.format.DateTimeParseException e) {
      return a;
    }
  }

  /**
   * Starts the restore (or, once it is due, has the node check whether it is back), then shows the
   * page again (redirect after POST); a refusal comes back to the page with the reason.
   */
  @POST
  @FormPost
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response start(@RestForm String study, @RestForm String back) {
    access.require(Roles.CLINICIAN);
    Optional<ClinicianSearch.NamedStudy> found = search.study(trim(study));
    if (found.isEmpty()) {
      return refused(trim(study), back);
    }
    StudyAvailability.Availability started;
    try {
      started = restores.start(found.get().study().uid());
    } catch (ProblemException e) {
      if (e.code() == ErrorCode.AUDIT_UNAVAILABLE || e.code() == ErrorCode.INTERNAL) {
        throw e;
      }
      return page(
          found.get(), back, current(found.get().study()), e.code().name(), e.code().status());
    }
    if (started.state() == StudyAvailability.State.ONLINE) {
      // The node served the study whole: shown as online from this answer, not from the
      // availability index, which could still say restoring and have the page check again, and
      // again (each check a retrieve, audited), for an instance the node skipped.
      return page(found.get(), back, started, null, Response.Status.OK.getStatusCode());
    }
    String shown = href(found.get().study().uid(), timeline(back));
    if (started.expectedAt() != null) {
      shown +=
          "&next=" + URLEncoder.encode(started.expectedAt().toString(), StandardCharsets.UTF_8);
    }
    return Response.seeOther(URI.create(shown)).build();
  }

  /** Unknown, or withheld by the patient's consent: the page says no more than the timeline. */
  private Response refused(String study, String back) {
    Restore r =
        new Restore(
            study,
            null,
            timeline(back),
            StudyAvailability.State.UNKNOWN,
            null,
            null,
            false,
            0,
            null,
            null,
            null);
    return html(Response.Status.FORBIDDEN.getStatusCode(), r);
  }

  private StudyAvailability.Availability current(ClinicianSearch.Prior prior) {
    if (!prior.available() || prior.siteId().isEmpty()) {
      return new StudyAvailability.Availability(StudyAvailability.State.UNKNOWN, null);
    }
    Map<String, StudyAvailability.Availability> found =
        availability.of(Map.of(prior.siteId(), List.of(prior.uid())));
    return found.getOrDefault(
        prior.uid(), new StudyAvailability.Availability(StudyAvailability.State.UNKNOWN, null));
  }

  private Response page(
      ClinicianSearch.NamedStudy named,
      String back,
      StudyAvailability.Availability a,
      String error,
      int status) {
    ClinicianSearch.Prior p = named.study();
    Instant now = Instant.now();
    boolean due = ClinicianPages.restoreDue(a, now);
    DateTimeFormatter expected =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    DateTimeFormatter date =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    SendPages.ShownStudy shown = SendPages.ShownStudy.of(named, date, page.lang());
    Restore r =
        new Restore(
            p.uid(),
            shown,
            timeline(back),
            a.state(),
            a.expectedAt() == null ? null : expected.format(a.expectedAt()),
            a.expectedAt() == null ? null : a.expectedAt().toString(),
            due,
            refreshSeconds(a, due, now),
            href(p.uid(), timeline(back)),
            ViewerAppConfig.studyHref(p.uid()),
            error);
    return html(status, r);
  }

  /**
   * While a restore runs the page asks again when it is expected back, between {@link #MIN_REFRESH}
   * and {@link #MAX_REFRESH} from now; once due it checks through its form instead
   * (restore-check.js), so no reload. Other states do not reload themselves.
   */
  static long refreshSeconds(StudyAvailability.Availability a, boolean due, Instant now) {
    if (a.state() != StudyAvailability.State.RESTORING || due) {
      return 0;
    }
    Duration left =
        a.expectedAt() == null ? MAX_REFRESH : Duration.between(now, a.expectedAt()).plusSeconds(1);
    if (left.compareTo(MIN_REFRESH) < 0) {
      left = MIN_REFRESH;
    }
    return (left.compareTo(MAX_REFRESH) > 0 ? MAX_REFRESH : left).toSeconds();
  }

  private Response html(int status, Restore r) {
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(Pages.localized(Templates.restore(r), page))
        .build();
  }

  /** Back to the timeline the clinician came from (only a timeline: no open redirect). */
  private static String timeline(String back) {
    return back != null && back.matches("/clinician/patients/[A-Za-z0-9._%-]+") ? back : "/";
  }

  private static String trim(String value) {
    return value == null ? "" : value.strip();
  }
}
