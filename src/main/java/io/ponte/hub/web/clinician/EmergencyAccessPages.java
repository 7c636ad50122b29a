package io.ponte.hub.web.clinician;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.consent.EmergencyAccessRequest;
import io.ponte.hub.consent.EmergencyAccessService;
import io.ponte.hub.consent.EmergencyRequestRefused;
import io.ponte.hub.consent.PatientResolver;
import io.ponte.hub.site.HubSites;
import io.ponte.hub.web.FormPost;
import io.ponte.hub.web.OpensRecords;
import io.ponte.hub.web.PageAccess;
import io.ponte.hub.web.PageContext;
import io.ponte.hub.web.Pages;
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
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Emergency (break-glass) access from the clinician's pages: when consent withheld a patient's
 * studies, the search or timeline links here; the clinician states why and for how long, and the
 * grant is opened by the same service as {@code POST /api/emergency-access} (its rules, limits and
 * audit), then the timeline shows the studies under a banner with the grant's end. The form lives
 * at one fixed path so that its form carries the token (FormTokens).
 */
@Path("/hub/clinician/emergency-access")
@Produces(MediaType.TEXT_HTML)
public class EmergencyAccessPages {

  /** The durations offered, in hours (the service caps them; 4 is its default). */
  static final List<String> HOURS = List.of("1", "4", "8", "24");

  /** The form as shown: whom it names, what was typed, and what the service refused (its words). */
  public record Form(
      String patient,
      String patientLabel,
      String reason,
      String hours,
      List<String> choices,
      String error) {

    /** The longest reason the service takes, for the text area's maxlength. */
    public int maxReason() {
      return EmergencyAccessService.MAX_REASON;
    }
  }

  /** Ending a grant early: the confirmation's form posts here (the token is made on this page). */
  public record Ending(String action, String back) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance emergency(Form form);

    static native TemplateInstance end(Ending ending);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject EmergencyAccessService emergency;

  @Inject PatientResolver resolver;

  @Inject HubSites sites;

  /**
   * The patient as a clinician reads it: a site's record by the site's name and its MRN ({@code
   * Hospital A: HA-100871}), anything else (a regional id) as the search named it.
   */
  private String label(String patient) {
    int bar = patient.indexOf('|');
    if (bar < 0) {
      return patient;
    }
    String value = patient.substring(bar + 1);
    return sites
        .siteOfPatientSystem(patient.substring(0, bar))
        .map(site -> site.name() + ": " + value)
        .orElse(patient);
  }

  /** The timeline's link to end a grant early: a confirmation at this page's fixed path. */
  static String endHref(String grantId, String timeline) {
    return "/clinician/emergency-access?end="
        + URLEncoder.encode(grantId, StandardCharsets.UTF_8)
        + "&back="
        + URLEncoder.encode(timeline, StandardCharsets.UTF_8);
  }

  /**
   * The form for a person ({@code patient}: what the search named), or the confirmation that ends a
   * grant early ({@code end}: its id; {@code back}: the timeline to return to if not).
   */
  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  public TemplateInstance form(
      @QueryParam("patient") String patient,
      @QueryParam("end") String end,
      @QueryParam("back") String back) {
    access.require(Roles.CLINICIAN);
    if (end != null && end.matches("[0-9a-f-]{36}")) {
      String timeline = back != null && back.startsWith("/clinician/patients/") ? back : "/";
      return Pages.localized(
          Templates.end(new Ending("/clinician/emergency-access/" + end + "/end", timeline)), page);
    }
    return Pages.localized(
        Templates.emergency(new Form(trim(patient), label(trim(patient)), "", "4", HOURS, null)),
        page);
  }

  /**
   * Why the service refused, always in the page's language: by the rule the service names ({@link
   * EmergencyRequestRefused#rule()}), never its English detail. A duration the form does not offer
   * is the form's own choice to explain first. The service still decides and audits every refusal.
   */
  private String refusal(String reason, String hours, ProblemException refused) {
    ClinicianMessages words =
        MessageBundles.get(ClinicianMessages.class, Localized.Literal.of(page.lang()));
    if (!(refused instanceof EmergencyRequestRefused r)) {
      return words.emergencyUnreadable();
    }
    return switch (r.rule()) {
      case NO_REASON -> words.emergencyNeedsReason();
      case REASON_TOO_LONG -> words.emergencyReasonTooLong(reason.length(), r.limit());
      case BAD_DURATION -> words.emergencyHoursChoice();
      case DURATION_TOO_LONG ->
          HOURS.contains(hours)
              ? words.emergencyTooLong(r.limit() / 60)
              : words.emergencyHoursChoice();
      case UNKNOWN_PATIENT -> words.emergencyUnknownPatient();
      case NO_REQUEST -> words.emergencyUnreadable();
    };
  }

  /**
   * Opens the grant, then shows the person's timeline; a refused form (no reason, too long, an
   * unknown patient) comes back with the service's reason and nothing granted. The CSRF token is
   * checked by FormTokenCheck before this runs.
   */
  @POST
  @FormPost
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response grant(@RestForm String patient, @RestForm String reason, @RestForm String hours) {
    access.require(Roles.CLINICIAN);
    String h = trim(hours);
    try {
      emergency.grant(
          new EmergencyAccessRequest(
              patient, reason, h.isEmpty() ? null : h.matches("[0-9]{1,4}") ? "PT" + h + "H" : h));
    } catch (ProblemException e) {
      if (e.code() != ErrorCode.BAD_REQUEST) {
        throw e;
      }
      Form again =
          new Form(
              trim(patient),
              label(trim(patient)),
              reason == null ? "" : reason,
              h,
              HOURS,
              refusal(reason, h, e));
      return Response.status(Response.Status.BAD_REQUEST)
          .type(MediaType.TEXT_HTML_TYPE)
          .entity(Pages.localized(Templates.emergency(again), page))
          .build();
    }
    // the grant named someone the hub knows, so the resolver finds them again (a regional person
    // with no local patient yet has no timeline: back to the search)
    String timeline =
        resolver
            .resolve(patient)
            .flatMap(
                n ->
                    n.patientId() != null
                        ? java.util.Optional.of(n.patientId())
                        : n.person().patientIds().stream().sorted().findFirst())
            .map(id -> "/clinician/patients/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
            .orElse("/");
    return Response.seeOther(URI.create(timeline)).build();
  }

  /** Ends the clinician's own grant early (the service checks it is theirs), back to the search. */
  @POST
  @FormPost
  @Path("{id}/end")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response end(@PathParam("id") String id) {
    access.require(Roles.CLINICIAN);
    emergency.end(id);
    return Response.seeOther(URI.create("/")).build();
  }

  private static String trim(String value) {
    return value == null ? "" : value.strip();
  }
}
