package io.ponte.hub.web.clinician;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.send.SendDestinations;
import io.ponte.hub.send.SendFailure;
import io.ponte.hub.send.SendService;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import org.jboss.resteasy.reactive.RestForm;

/**
 * "Send to my PACS" from the timeline: a confirmation naming the clinic's PACS (the form lives at
 * one fixed path so that its address is stable), then a progress page that polls the job
 * (send-progress.js; without script, a refresh link). The same service as {@code POST
 * /api/clinician/sends}: its decision, consent and audit.
 */
@Path("/hub/clinician/send")
@Produces(MediaType.TEXT_HTML)
public class SendPages {

  /**
   * The confirmation: which study (its UID, and as a clinician knows it: null when the clinician
   * may not see it), to where (null: the clinic has no PACS configured), and why a send was refused
   * (the service's error code, worded by the page in its language; null: not refused).
   */
  public record Confirm(
      String study, ShownStudy shown, String back, ShownDestination destination, String error) {}

  /**
   * Where the study goes, as a clinician reads it: the PACS's configured name (null: none is
   * configured, the page says "your clinic's PACS"), and the protocol and address as small print
   * for the clinic's IT.
   */
  public record ShownDestination(String name, String technical) {}

  /** The study in the words of the timeline: whose, when, what kind, what of, where. */
  public record ShownStudy(
      String patient,
      String date,
      String isoDate,
      String modalities,
      String bodyParts,
      String description,
      String site) {

    /** {@code n} as a page in {@code lang} names it, its date written by {@code date}. */
    static ShownStudy of(ClinicianSearch.NamedStudy n, DateTimeFormatter date, String lang) {
      ClinicianSearch.Prior p = n.study();
      return new ShownStudy(
          n.patientName() == null ? "" : n.patientName(),
          p.started() == null ? "" : date.format(p.started()),
          p.started() == null ? "" : p.started().toString(),
          String.join(", ", p.modalities()),
          BodySiteWords.of(p.bodySites(), lang),
          p.description() == null ? "" : p.description(),
          p.site());
    }
  }

  /**
   * The progress page's first state (the script keeps it current), with the study as the
   * confirmation named it (null when the clinician may no longer see it, e.g. consent withdrawn
   * since: the job is still shown, with the study's UID), and why it failed in the page's language
   * (null: it did not; the job's recorded reason is the technical detail).
   */
  public record Progress(
      SendService.Job job,
      ShownDestination destination,
      ShownStudy shown,
      String back,
      String pollHref,
      String failure) {}

  /** What the page polls: the job as the API shows it, and why it failed in the page's words. */
  public record Polled(@JsonUnwrapped SendService.Job job, String failure) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance send(Confirm confirm);

    static native TemplateInstance progress(Progress progress);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject SendService sends;

  @Inject ClinicianSearch search;

  @Inject WebConfig config;

  /** The timeline's link for one study. */
  static String formHref(String studyUid, String timeline) {
    return "/clinician/send?study="
        + URLEncoder.encode(studyUid, StandardCharsets.UTF_8)
        + "&back="
        + URLEncoder.encode(timeline, StandardCharsets.UTF_8);
  }

  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  public TemplateInstance form(@QueryParam("study") String study, @QueryParam("back") String back) {
    access.require(Roles.CLINICIAN);
    return Pages.localized(Templates.send(confirm(study, back, null)), page);
  }

  /**
   * Starts the send and shows its progress; a refused one (consent, unknown study, no PACS) comes
   * back to the confirmation with the service's reason, nothing sent.
   */
  @POST
  @FormPost
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response send(@RestForm String study, @RestForm String back) {
    access.require(Roles.CLINICIAN);
    SendService.Job job;
    try {
      job = sends.start(trim(study));
    } catch (ProblemException e) {
      if (e.code() == ErrorCode.AUDIT_UNAVAILABLE || e.code() == ErrorCode.INTERNAL) {
        throw e;
      }
      return Response.status(e.code().status())
          .type(MediaType.TEXT_HTML_TYPE)
          .entity(Pages.localized(Templates.send(confirm(study, back, e.code().name())), page))
          .build();
    }
    return Response.seeOther(
            URI.create(
                "/clinician/send/"
                    + job.id()
                    + "?back="
                    + URLEncoder.encode(timeline(back), StandardCharsets.UTF_8)))
        .build();
  }

  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  @Path("{id}")
  public TemplateInstance progress(@PathParam("id") String id, @QueryParam("back") String back) {
    access.require(Roles.CLINICIAN);
    SendService.Job job = sends.job(id);
    return Pages.localized(
        Templates.progress(
            new Progress(
                job,
                destinationOf(job),
                shown(job.studyUid()),
                timeline(back),
                "/clinician/send/" + job.id() + "/progress",
                failure(job))),
        page);
  }

  /** What the progress page polls. */
  @GET
  @Path("{id}/progress")
  @Produces(MediaType.APPLICATION_JSON)
  public Response poll(@PathParam("id") String id) {
    access.require(Roles.CLINICIAN);
    SendService.Job job = sends.job(id);
    return Response.ok(new Polled(job, failure(job))).header("Cache-Control", "no-store").build();
  }

  /** Why {@code job} failed, worded by its kind (the recorded reason is English, for IT). */
  private String failure(SendService.Job job) {
    SendFailure kind = job.failure();
    return kind == null
        ? null
        : MessageBundles.get(ClinicianMessages.class, Localized.Literal.of(page.lang()))
            .sendFailure(kind.name());
  }

  private Confirm confirm(String study, String back, String error) {
    return new Confirm(
        trim(study),
        shown(trim(study)),
        timeline(back),
        sends.destination().map(SendPages::shown).orElse(null),
        error);
  }

  private static ShownDestination shown(SendDestinations.Target target) {
    return new ShownDestination(target.displayName(), target.technical());
  }

  /**
   * Where a job went: the job records its destination as the audit does ({@link
   * SendDestinations.Target#describe()}); while that is still the clinic's PACS, by its name and
   * address, otherwise (reconfigured since) the recorded line as the technical detail under "your
   * clinic's PACS".
   */
  private ShownDestination destinationOf(SendService.Job job) {
    return sends
        .destination()
        .filter(t -> t.describe().equals(job.destination()))
        .map(SendPages::shown)
        .orElseGet(() -> new ShownDestination(null, job.destination()));
  }

  /**
   * The study as the timeline shows it, read (and audited) through the same search; a UID the
   * clinician may not see is named by its UID alone (sending it is refused anyway; a send already
   * under way goes on, shown by the UID).
   */
  private ShownStudy shown(String study) {
    DateTimeFormatter date =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    return search.study(study).map(n -> ShownStudy.of(n, date, page.lang())).orElse(null);
  }

  /** Back to the timeline the clinician came from (only a timeline: no open redirect). */
  private static String timeline(String back) {
    return back != null && back.matches("/clinician/patients/[A-Za-z0-9._%-]+") ? back : "/";
  }

  private static String trim(String value) {
    return value == null ? "" : value.strip();
  }
}
