package io.ponte.hub.registry;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Counts over the registry for the authority's figures: studies and last publication per site. */
@ApplicationScoped
public class RegistryStatistics {

  /** A site's registered studies and when it last published (null: never). */
  public record SiteStudies(String site, long studies, Instant lastPublication) {}

  @Inject HubDatabase db;

  @Transactional
  @SuppressWarnings("unchecked")
  public List<SiteStudies> perSite() {
    List<Object[]> rows =
        db.em()
            .createNativeQuery(
                "select site_id, count(*), max(last_updated) from imaging_study"
                    + " group by site_id order by site_id")
            .getResultList();
    return rows.stream()
        .map(r -> new SiteStudies((String) r[0], ((Number) r[1]).longValue(), toInstant(r[2])))
        .toList();
  }

  static Instant toInstant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
