package io.ponte.hub.web.clinician;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.dicomweb.StudyAvailability;
import io.ponte.hub.viewer.ViewerAppConfig;
import io.ponte.hub.web.EmergencyAccessLink;
import io.ponte.hub.web.OpensRecords;
import io.ponte.hub.web.PageAccess;
import io.ponte.hub.web.PageContext;
import io.ponte.hub.web.Pages;
import io.ponte.hub.web.WebConfig;
import io.ponte.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The clinician's workspace at {@code /}: find a patient by a hospital's identifier, the regional
 * identifier or name and birth date, then the person's priors at every site, newest first, each one
 * click from the viewer. Role clinician; the data comes from {@link ClinicianSearch}, i.e. the
 * services behind {@code /fhir/Patient} and {@code /fhir/ImagingStudy}.
 */
@Path("/hub")
@Produces(MediaType.TEXT_HTML)
public class ClinicianPages {

  /** What was searched, echoed into the forms. */
  public record Query(
      String identifier, String site, String regional, String name, String birthDate) {}

  /**
   * A person as the result list and the timeline show them: one name for the person, and each
   * hospital's spelling ("Hospital B: MARIA GONCALVES") when they differ.
   */
  public record PersonRow(
      String href,
      String name,
      List<String> spellings,
      String birthDate,
      String isoBirthDate,
      List<String> identities) {}

  /** A prior as the timeline shows it. */
  public record PriorRow(
      String date,
      String isoDate,
      String modalities,
      String bodyParts,
      String description,
      String site,
      int images,
      StudyAvailability.State availability,
      String restoredBy,
      String isoRestoredBy,
      boolean restoreDue,
      String viewerHref,
      String restoreHref,
      String thumbnailHref,
      String sendHref) {}

  /** A site of the site chooser. */
  public record SiteChoice(String id, String name) {}

  /**
   * Which search ran: none, or the kind of search, and what went wrong (a message key); whether
   * consent withheld something, and where to ask for emergency access (null when the search named
   * no one the grant API can take, e.g. a name).
   */
  public record Outcome(boolean searched, String error, boolean withheld, String emergencyHref) {}

  /**
   * The timeline's consent state: whether studies were withheld (with the emergency access form's
   * address), and the clinician's active emergency grants for this person.
   */
  public record Emergency(boolean withheld, String href, List<GrantBanner> grants) {}

  /** An active grant: until when (local time), and the page that ends it early. */
  public record GrantBanner(String id, String until, String isoUntil, String endHref) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance search(
        Query query, List<SiteChoice> siteChoices, Outcome outcome, List<PersonRow> persons);

    static native TemplateInstance timeline(
        PersonRow person, List<PriorRow> priors, Emergency emergency);
  }

  @Inject PageAccess access;

  @Inject PageContext page;

  @Inject ClinicianSearch search;

  @Inject WebConfig config;

  @Inject StudyThumbnails thumbnails;

  @Inject StudyAvailability availability;

  @Inject EmergencyGrantsOfPerson grants;

  @Inject io.ponte.hub.send.SendService sends;

  private static final java.util.regex.Pattern UID =
      java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)*");

  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  public TemplateInstance search(
      @QueryParam("identifier") String identifier,
      @QueryParam("site") String site,
      @QueryParam("regional") String regional,
      @QueryParam("name") String name,
      @QueryParam("birthDate") String birthDate) {
    access.require(Roles.CLINICIAN);
    Query query =
        new Query(trim(identifier), trim(site), trim(regional), trim(name), trim(birthDate));
    List<SiteChoice> siteChoices =
        search.sites().stream().map(s -> new SiteChoice(s.id(), s.name())).toList();
    ClinicianSearch.Found<ClinicianSearch.Person> found =
        new ClinicianSearch.Found<>(List.of(), false);
    String error = null;
    String named = null; // what the emergency access form would name
    boolean searched = true;
    try {
      if (!query.identifier().isEmpty()) {
        found = search.byIdentifier(query.identifier(), query.site());
        String token = search.identifierToken(query.identifier(), query.site());
        named = token.contains("|") ? token : null;
      } else if (!query.regional().isEmpty()) {
        found = search.byRegionalId(query.regional());
        // as issued: the emergency form names the person by it
        named = IdentifierSystems.REGIONAL_ID + "|" + search.regionalId(query.regional());
      } else if (!query.name().isEmpty()) {
        LocalDate birth = date(query.birthDate());
        if (birth == null) {
          error = "needBirthDate";
        } else {
          found = search.byName(query.name(), birth);
        }
      } else if (!query.birthDate().isEmpty()) {
        error = "needName";
      } else {
        searched = false;
      }
    } catch (ProblemException e) {
      if (e.code() != ErrorCode.BAD_REQUEST) {
        throw e;
      }
      error = "badSearch";
    }
    DateTimeFormatter date = dateFormat();
    List<PersonRow> rows = found.items().stream().map(p -> row(p, date)).toList();
    Outcome outcome =
        new Outcome(
            searched,
            error,
            found.withheld(),
            found.withheld() && named != null ? EmergencyAccessLink.form(named) : null);
    return Pages.localized(Templates.search(query, siteChoices, outcome, rows), page);
  }

  @GET
  @OpensRecords(role = Roles.CLINICIAN)
  @Path("/clinician/patients/{id}")
  public TemplateInstance timeline(@PathParam("id") String id) {
    access.require(Roles.CLINICIAN);
    DateTimeFormatter date = dateFormat();
    PersonRow person = row(search.person(id), date);
    ClinicianSearch.Found<ClinicianSearch.Prior> found = search.priors(id);
    boolean canSend = sends.destination().isPresent();
    String timeline = "/clinician/patients/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    Map<String, StudyAvailability.Availability> availabilities = availabilities(found.items());
    Instant now = Instant.now();
    DateTimeFormatter restored =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
            .withLocale(page.locale())
            .withZone(config.timeZone());
    List<PriorRow> priors =
        found.items().stream()
            .map(
                p -> {
                  StudyAvailability.Availability a = availabilities.getOrDefault(p.uid(), UNKNOWN);
                  boolean archived =
                      a.state() == StudyAvailability.State.ARCHIVED
                          || a.state() == StudyAvailability.State.RESTORING;
                  // Not online: OHIF would stay black (a node answers 202 while it restores), so
                  // the study opens on the page that restores it or says the site is down.
                  boolean notOnline =
                      archived || a.state() == StudyAvailability.State.SITE_UNREACHABLE;
                  return new PriorRow(
                      p.started() == null ? "" : date.format(p.started()),
                      p.started() == null ? "" : p.started().toString(),
                      String.join(", ", p.modalities()),
                      BodySiteWords.of(p.bodySites(), page.lang()),
                      p.description() == null ? "" : p.description(),
                      p.site(),
                      p.images(),
                      a.state(),
                      a.expectedAt() == null ? null : restored.format(a.expectedAt()),
                      a.expectedAt() == null ? null : a.expectedAt().toString(),
                      restoreDue(a, now),
                      p.uid() == null || notOnline ? null : ViewerAppConfig.studyHref(p.uid()),
                      p.uid() == null || !notOnline ? null : RestorePages.href(p.uid(), timeline),
                      // No picture of an archived study: drawing it would start its restore.
                      p.uid() == null || archived
                          ? null
                          : "/clinician/studies/" + p.uid() + "/thumbnail",
                      p.uid() == null || !canSend ? null : SendPages.formHref(p.uid(), timeline));
                })
            .toList();
    List<GrantBanner> banners =
        grants.activeFor(id).stream()
            .map(
                g ->
                    new GrantBanner(
                        g.id(),
                        until(g.endsAt(), now, config.timeZone(), page.locale()),
                        g.endsAt().toString(),
                        EmergencyAccessPages.endHref(g.id(), "/clinician/patients/" + id)))
            .toList();
    Emergency emergency =
        new Emergency(found.withheld(), EmergencyAccessLink.form("Patient/" + id), banners);
    return Pages.localized(Templates.timeline(person, priors, emergency), page);
  }

  /**
   * When a grant ends, in the region's zone: the time alone when that is today, else with its date
   * (a grant opened at 22:00 for 4 hours ends "at 02:00" tomorrow, not today).
   */
  static String until(Instant endsAt, Instant now, ZoneId zone, Locale locale) {
    if (LocalDate.ofInstant(endsAt, zone).equals(LocalDate.ofInstant(now, zone))) {
      return DateTimeFormatter.ofPattern("HH:mm").withLocale(locale).withZone(zone).format(endsAt);
    }
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(locale)
        .withZone(zone)
        .format(endsAt);
  }

  /**
   * A small JPEG of the study for the timeline ({@link StudyThumbnails}); not cached by the browser
   * (it shows a patient's images).
   */
  @GET
  @Path("/clinician/studies/{uid}/thumbnail")
  @Produces("image/jpeg")
  public Response thumbnail(@PathParam("uid") String uid) {
    access.require(Roles.CLINICIAN);
    if (!UID.matcher(uid).matches()) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "not a study UID");
    }
    StudyThumbnails.Thumbnail t =
        thumbnails
            .of(uid)
            .orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "no such study"));
    return Response.status(t.status())
        .type("image/jpeg")
        .header("Cache-Control", "no-store")
        .entity(t.jpeg())
        .build();
  }

  /**
   * A restore whose expected time has passed: the node finishes it when the study is next opened
   * (it learns that the copy is back only by reading it), so the page says to open it again rather
   * than "expected by" a time already gone.
   */
  static boolean restoreDue(StudyAvailability.Availability a, Instant now) {
    return a.state() == StudyAvailability.State.RESTORING
        && a.expectedAt() != null
        && !a.expectedAt().isAfter(now);
  }

  private static final StudyAvailability.Availability UNKNOWN =
      new StudyAvailability.Availability(StudyAvailability.State.UNKNOWN, null);

  /** Each available prior's availability, asked of its site's node ({@link StudyAvailability}). */
  private Map<String, StudyAvailability.Availability> availabilities(
      List<ClinicianSearch.Prior> priors) {
    Map<String, List<String>> bySite = new LinkedHashMap<>();
    for (ClinicianSearch.Prior p : priors) {
      // A study the registry does not list as available is not the node's to answer for.
      if (p.uid() != null && p.available() && !p.siteId().isEmpty()) {
        bySite.computeIfAbsent(p.siteId(), s -> new ArrayList<>()).add(p.uid());
      }
    }
    return availability.of(bySite);
  }

  private static PersonRow row(ClinicianSearch.Person p, DateTimeFormatter date) {
    return new PersonRow(
        "/clinician/patients/" + URLEncoder.encode(p.patientId(), StandardCharsets.UTF_8),
        p.name(),
        p.spellings().stream()
            .map(n -> (n.site().isEmpty() ? "" : n.site() + ": ") + n.name())
            .toList(),
        p.birthDate() == null ? "" : date.format(p.birthDate()),
        p.birthDate() == null ? "" : p.birthDate().toString(),
        p.identities().stream()
            .map(i -> (i.site().isEmpty() ? "" : i.site() + ": ") + i.value())
            .toList());
  }

  private DateTimeFormatter dateFormat() {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
        .withLocale(page.locale())
        .withZone(config.timeZone());
  }

  /** The form's date (an HTML date input sends YYYY-MM-DD); anything else is no date. */
  private static LocalDate date(String value) {
    try {
      return value.isEmpty() ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String trim(String value) {
    return value == null ? "" : value.strip();
  }
}
