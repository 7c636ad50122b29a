package io.ponte.hub.oversight;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.ponte.role.PonteConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The dashboard's figures as Prometheus gauges for an operator's Grafana
 * (docs/grafana-authority.json), over the dashboard's default window (the last 30 days). Refreshed
 * by a timer rather than on scrape, so a scrape never queries the database; the hub only.
 */
@Singleton
public class OversightMetrics {

  private static final Logger LOG = Logger.getLogger(OversightMetrics.class);

  @Inject MeterRegistry registry;

  @Inject OversightFigures figures;

  @Inject EmergencyReviews reviews;

  // The region's zone, as the pages use (ponte.web.time-zone); read here by name, since hub/web
  // depends on this package and not the other way round.
  @ConfigProperty(name = "ponte.web.time-zone", defaultValue = "Europe/Lisbon")
  ZoneId zone;

  private MultiGauge studies;
  private MultiGauge organizations;
  private MultiGauge denials;
  private MultiGauge consents;
  private MultiGauge lag;
  private MultiGauge reachable;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong retrievals = new AtomicLong();

  @PostConstruct
  void init() {
    studies =
        gauge("ponte.authority.studies.registered", "Studies registered at the hub, per site");
    io.micrometer.core.instrument.Gauge.builder(
            "ponte.authority.cross.site.retrievals.30d", retrievals, AtomicLong::get)
        .description("WADO-RS retrieves of another site's studies, last 30 days")
        .register(registry);
    organizations =
        gauge(
            "ponte.authority.retrievals.by.organization.30d",
            "Cross-site retrieves per requesting organisation, last 30 days");
    denials = gauge("ponte.authority.denials.30d", "Refused accesses per reason, last 30 days");
    consents =
        gauge("ponte.authority.consent.choices", "Patients' current sharing choices per site");
    lag =
        gauge(
            "ponte.authority.publication.lag.seconds",
            "Seconds since the site last published a study to the hub");
    reachable =
        gauge(
            "ponte.authority.site.node.reachable",
            "1 when the site's node answered the hub at the last refresh, else 0 (sites with a node)");
    io.micrometer.core.instrument.Gauge.builder(
            "ponte.authority.emergency.pending.review", pending, AtomicLong::get)
        .description("Emergency accesses awaiting the authority's review")
        .register(registry);
  }

  @Scheduled(
      identity = "ponte-authority-metrics",
      every = "60s",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = OversightMetrics.NotHub.class)
  void scheduled() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warnf("authority metrics: figures unavailable (%s); will try again", e.getMessage());
    }
  }

  /** Reads the figures and replaces every gauge's rows (sites or reasons that vanished go too). */
  public void refresh() {
    OversightFigures.Figures f =
        figures.figures(DateRange.lastDays(DateRange.DEFAULT_DAYS, LocalDate.now(zone)), zone);
    register(studies, f.table(OversightFigures.STUDIES), r -> Tags.of("site", r.get(0)));
    retrievals.set(f.table(OversightFigures.RETRIEVALS).total());
    register(
        organizations,
        f.table(OversightFigures.ORGANIZATIONS),
        r -> Tags.of("organization", r.get(0)));
    register(denials, f.table(OversightFigures.DENIALS), r -> Tags.of("reason", r.get(0)));
    register(
        consents,
        f.table(OversightFigures.CONSENTS),
        r -> Tags.of("site", r.get(0), "choice", r.get(1)));
    lag.register(
        f.table(OversightFigures.SITES).rows().stream()
            .filter(r -> !r.get(3).isEmpty())
            .map(
                r ->
                    MultiGauge.Row.of(Tags.of("site", r.get(0)), (Number) Long.parseLong(r.get(3))))
            .toList(),
        true);
    reachable.register(
        f.table(OversightFigures.SITES).rows().stream()
            .filter(r -> !r.get(4).isEmpty())
            .map(
                r ->
                    MultiGauge.Row.of(
                        Tags.of("site", r.get(0)),
                        (Number) (OversightFigures.REACHABLE.equals(r.get(4)) ? 1 : 0)))
            .toList(),
        true);
    pending.set(reviews.pendingCount());
  }

  private MultiGauge gauge(String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  private static void register(
      MultiGauge gauge, FigureTable table, Function<List<String>, Tags> tags) {
    gauge.register(
        table.rows().stream()
            .map(
                r -> MultiGauge.Row.of(tags.apply(r), (Number) Long.parseLong(r.get(r.size() - 1))))
            .toList(),
        true);
  }

  /** The figures live in the hub's database: a node skips the refresh. */
  @Singleton
  public static class NotHub implements Scheduled.SkipPredicate {
    @Inject PonteConfig ponte;

    @Override
    public boolean test(ScheduledExecution execution) {
      return !ponte.isHub();
    }
  }
}
