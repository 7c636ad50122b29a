package io.ponte.hub.audit;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Counts over the audit trail for the authority's figures, one set-based query each (never a row at
 * a time): who retrieved images held at another site, and what was refused and why. Counts only; no
 * record leaves here.
 */
@ApplicationScoped
public class AuditStatistics {

  /** A count under a key (a day, an organisation, an error code). */
  public record Count(String key, long count) {}

  /**
   * A retrieve through the hub (WADO-RS of any kind, rendered pictures included, or a DIMSE C-GET
   * or C-MOVE) whose requester's organisation is not the site holding the study: the image crossed
   * a hospital boundary. The study's site comes from the registry.
   */
  private static final String CROSS_SITE =
      " from audit_record r join imaging_study s"
          + " on s.study_instance_uid = any(string_to_array(r.study_uids, ','))"
          + " where r.recorded_at >= ?1 and r.recorded_at < ?2 and r.action = 'read'"
          + " and (r.resource_type like 'DICOMweb WADO-RS%' or r.resource_type like 'DIMSE C-GET%'"
          + " or r.resource_type like 'DIMSE C-MOVE%') and r.outcome = 'success'"
          + " and r.organization is not null and r.organization <> s.site_id";

  @Inject HubDatabase db;

  /** Cross-site retrieves per day in {@code zone} (days without any are absent). */
  @Transactional
  public List<Count> crossSiteRetrievalsPerDay(Instant from, Instant to, ZoneId zone) {
    return counts(
        "select to_char(r.recorded_at at time zone ?3, 'YYYY-MM-DD') as day,"
            + " count(distinct r.seq)"
            + CROSS_SITE
            + " group by 1 order by 1",
        from,
        to,
        zone.getId(),
        Integer.MAX_VALUE);
  }

  /** The organisations retrieving most from other sites, most first. */
  @Transactional
  public List<Count> topRequestingOrganizations(Instant from, Instant to, int limit) {
    return counts(
        "select r.organization, count(distinct r.seq)"
            + CROSS_SITE
            + " group by 1 order by 2 desc, 1",
        from,
        to,
        null,
        limit);
  }

  /** Refused attempts (outcome denied) at the hub by error code, most first. */
  @Transactional
  public List<Count> denialsByReason(Instant from, Instant to) {
    return counts(
        "select coalesce(r.error_code, 'unknown'), count(*) from audit_record r"
            + " where r.recorded_at >= ?1 and r.recorded_at < ?2 and r.outcome = 'denied'"
            + " and r.source_site is null"
            + " group by 1 order by 2 desc, 1",
        from,
        to,
        null,
        Integer.MAX_VALUE);
  }

  @SuppressWarnings("unchecked")
  private List<Count> counts(String sql, Instant from, Instant to, String zone, int limit) {
    var q =
        db.em()
            .createNativeQuery(sql)
            .setParameter(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
            .setParameter(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    if (zone != null) {
      q.setParameter(3, zone);
    }
    if (limit != Integer.MAX_VALUE) {
      q.setMaxResults(limit);
    }
    return ((List<Object[]>) q.getResultList())
        .stream().map(row -> new Count((String) row[0], ((Number) row[1]).longValue())).toList();
  }
}
