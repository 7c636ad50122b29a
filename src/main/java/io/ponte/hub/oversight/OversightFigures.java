package io.ponte.hub.oversight;

import io.ponte.hub.audit.AuditStatistics;
import io.ponte.hub.consent.ConsentStatistics;
import io.ponte.hub.registry.RegistryStatistics;
import io.ponte.hub.site.HubSites;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authority's figures for a date range, as tables: the dashboard page, its CSV downloads, its
 * chart data and {@code GET /api/authority/figures} all read them from here, so they show the same
 * numbers. Counts and audit metadata only: nothing here reaches an image.
 */
@ApplicationScoped
public class OversightFigures {

  public static final String STUDIES = "studies-per-site";
  public static final String RETRIEVALS = "cross-site-retrievals";
  public static final String ORGANIZATIONS = "top-organizations";
  public static final String DENIALS = "denials";
  public static final String CONSENTS = "consent-choices";
  public static final String EMERGENCY = "emergency-pending";
  public static final String SITES = "site-status";

  /**
   * The site table's lag column: whole seconds since the site's last publication, machine-readable
   * in the CSV and JSON (the header names the unit); the page shows it in words.
   */
  public static final String LAG_SECONDS = "publication_lag_seconds";

  /** The site table's {@code node} column: the site's node answered the hub just now, or not. */
  public static final String REACHABLE = "reachable";

  public static final String UNREACHABLE = "unreachable";

  /** Every table id, in page order: the CSV path names one of them. */
  public static final List<String> TABLES =
      List.of(STUDIES, RETRIEVALS, ORGANIZATIONS, DENIALS, CONSENTS, EMERGENCY, SITES);

  static final int TOP = 10;
  static final int PENDING_SHOWN = 200;

  /** The figures of one range, tables by id in page order. */
  public record Figures(DateRange range, Map<String, FigureTable> tables) {
    public FigureTable table(String id) {
      return tables.get(id);
    }

    public List<FigureTable> all() {
      return List.copyOf(tables.values());
    }
  }

  @Inject AuditStatistics audit;

  @Inject RegistryStatistics registry;

  @Inject ConsentStatistics consent;

  @Inject EmergencyReviews reviews;

  @Inject HubSites sites;

  @Inject NodeReachability reachability;

  public Figures figures(DateRange range, ZoneId zone) {
    Instant from = range.start(zone);
    Instant to = range.end(zone);
    Map<String, FigureTable> tables = new LinkedHashMap<>();
    List<RegistryStatistics.SiteStudies> perSite = withEverySite(registry.perSite());
    tables.put(
        STUDIES,
        new FigureTable(
            STUDIES,
            List.of("site", "studies"),
            perSite.stream().map(s -> List.of(s.site(), Long.toString(s.studies()))).toList(),
            true));
    tables.put(
        RETRIEVALS,
        new FigureTable(
            RETRIEVALS,
            List.of("day", "retrievals"),
            everyDay(range, audit.crossSiteRetrievalsPerDay(from, to, zone)),
            true));
    tables.put(
        ORGANIZATIONS,
        counts(
            ORGANIZATIONS,
            "organization",
            "retrievals",
            audit.topRequestingOrganizations(from, to, TOP)));
    tables.put(DENIALS, counts(DENIALS, "reason", "denials", audit.denialsByReason(from, to)));
    tables.put(
        CONSENTS,
        new FigureTable(
            CONSENTS,
            List.of("site", "choice", "consents"),
            consent.choicesPerSite().stream()
                .map(c -> List.of(c.site(), c.choice(), Long.toString(c.consents())))
                .toList(),
            true));
    tables.put(
        EMERGENCY,
        new FigureTable(
            EMERGENCY,
            // clinician_name last: the CSV's earlier columns keep their places
            List.of(
                "id",
                "clinician",
                "organization",
                "reason",
                "starts_at",
                "ends_at",
                "clinician_name"),
            reviews.pending(PENDING_SHOWN).stream()
                .map(
                    p ->
                        List.of(
                            p.id(),
                            nullToEmpty(p.clinician()),
                            nullToEmpty(p.organization()),
                            nullToEmpty(p.reason()),
                            p.startsAt().toString(),
                            p.endsAt().toString(),
                            nullToEmpty(p.clinicianName())))
                .toList(),
            false));
    Instant now = Instant.now();
    Map<String, Boolean> reachable = reachability.current();
    tables.put(
        SITES,
        new FigureTable(
            SITES,
            List.of("site", "studies", "last_publication", LAG_SECONDS, "node"),
            perSite.stream()
                .map(
                    s ->
                        List.of(
                            s.site(),
                            Long.toString(s.studies()),
                            s.lastPublication() == null
                                ? ""
                                : s.lastPublication().truncatedTo(ChronoUnit.SECONDS).toString(),
                            s.lastPublication() == null
                                ? ""
                                : Long.toString(
                                    Math.max(
                                        0, Duration.between(s.lastPublication(), now).toSeconds())),
                            node(reachable.get(s.site()))))
                .toList(),
            false));
    return new Figures(range, tables);
  }

  /** A site's node as the site table says it: answering now, not, or none (a clinic). */
  private static String node(Boolean reachable) {
    return reachable == null ? "" : reachable ? REACHABLE : UNREACHABLE;
  }

  /** The display name of a site id, or the id itself. */
  public String siteName(String id) {
    return sites.site(id).map(HubSites.Site::name).orElse(id);
  }

  /** Configured sites that have published nothing yet count as 0, so they are not missed. */
  private List<RegistryStatistics.SiteStudies> withEverySite(
      List<RegistryStatistics.SiteStudies> found) {
    List<RegistryStatistics.SiteStudies> all = new ArrayList<>(found);
    for (HubSites.Site site : sites.sites()) {
      if (found.stream().noneMatch(s -> s.site().equals(site.id()))) {
        all.add(new RegistryStatistics.SiteStudies(site.id(), 0, null));
      }
    }
    all.sort(java.util.Comparator.comparing(RegistryStatistics.SiteStudies::site));
    return all;
  }

  /** One row per day of the range, 0 where nothing happened: a chart's axis has no gaps. */
  private static List<List<String>> everyDay(DateRange range, List<AuditStatistics.Count> counts) {
    Map<String, Long> byDay = new LinkedHashMap<>();
    counts.forEach(c -> byDay.put(c.key(), c.count()));
    List<List<String>> rows = new ArrayList<>();
    for (LocalDate d = range.from(); !d.isAfter(range.to()); d = d.plusDays(1)) {
      rows.add(List.of(d.toString(), Long.toString(byDay.getOrDefault(d.toString(), 0L))));
    }
    return rows;
  }

  private static FigureTable counts(
      String id, String keyColumn, String countColumn, List<AuditStatistics.Count> counts) {
    return new FigureTable(
        id,
        List.of(keyColumn, countColumn),
        counts.stream()
            .map(c -> List.of(Optional.ofNullable(c.key()).orElse(""), Long.toString(c.count())))
            .toList(),
        true);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
