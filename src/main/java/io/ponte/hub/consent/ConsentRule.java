package io.ponte.hub.consent;

import java.time.Instant;
import java.util.Set;

/**
 * One provision of a Consent, flattened: permit or deny, for these recipient organisations
 * (provision.actor; empty = everyone), for studies held at these sites (provision.data with meaning
 * {@code authoredby}; empty = wherever they are), within [start, end) (provision.period; null =
 * open).
 */
public record ConsentRule(
    boolean permit, Set<String> actors, Set<String> sources, Instant start, Instant end) {

  public ConsentRule {
    actors = Set.copyOf(actors);
    sources = Set.copyOf(sources);
  }

  boolean applies(String organization, String owningSite, Instant at) {
    return inPeriod(at)
        && (actors.isEmpty() || actors.contains(organization))
        && (sources.isEmpty() || sources.contains(owningSite));
  }

  boolean inPeriod(Instant at) {
    return (start == null || !at.isBefore(start)) && (end == null || at.isBefore(end));
  }
}
