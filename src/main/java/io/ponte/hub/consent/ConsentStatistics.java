package io.ponte.hub.consent;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Counts of the patients' sharing choices per site for the authority's figures: each person's
 * newest active consent, classified as the portal words it (share with all; all but named
 * organisations or sites; nothing), counted at every site that holds one of the person's records.
 */
@ApplicationScoped
public class ConsentStatistics {

  /** {@code choice}: {@code share-all}, {@code share-except} or {@code share-nothing}. */
  public record SiteChoice(String site, String choice, long consents) {}

  @Inject HubDatabase db;

  @Transactional
  @SuppressWarnings("unchecked")
  public List<SiteChoice> choicesPerSite() {
    // The newest active consent per person (regional id, else the local patient it named); its
    // sites are the sites of the local patients it covers (linked ones for a regional id).
    List<Object[]> rows =
        db.em()
            .createNativeQuery(
                "with newest as ("
                    + " select distinct on (coalesce(c.regional_id, 'p:' || c.patient_id))"
                    + " c.id, c.regional_id, c.patient_id, c.rules::jsonb as rules"
                    + " from consent c where c.status = 'active'"
                    + " order by coalesce(c.regional_id, 'p:' || c.patient_id), c.consented_at"
                    + " desc),"
                    + " covered as ("
                    + " select n.id, n.rules, p.site_id from newest n join patient p"
                    + " on p.id = n.patient_id or p.id in"
                    + " (select l.patient_id from identity_link l where l.regional_id ="
                    + " n.regional_id))"
                    // A deny naming organisations (or source sites) refuses only them, as
                    // ConsentRule.applies reads it: "all except", not "nobody".
                    + " select site_id, case"
                    + " when not (rules->'base'->>'permit')::boolean"
                    + " and jsonb_array_length(coalesce(rules->'base'->'actors', '[]'::jsonb)) = 0"
                    + " and jsonb_array_length(coalesce(rules->'base'->'sources', '[]'::jsonb)) = 0"
                    + " then 'share-nothing'"
                    + " when not (rules->'base'->>'permit')::boolean"
                    + " or jsonb_array_length(coalesce(rules->'exceptions', '[]'::jsonb)) > 0"
                    + " then 'share-except' else 'share-all' end as choice,"
                    + " count(distinct id) from covered group by 1, 2 order by 1, 2")
            .getResultList();
    return rows.stream()
        .map(r -> new SiteChoice((String) r[0], (String) r[1], ((Number) r[2]).longValue()))
        .toList();
  }
}
