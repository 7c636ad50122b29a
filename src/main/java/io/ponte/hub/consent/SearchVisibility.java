package io.ponte.hub.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides ahead of a search, with {@link ConsentLogic} (the one decision), for every hub Patient
 * whose person has an active consent or an emergency grant, and hands the registry a {@link
 * SearchScope} to page over visible rows only.
 *
 * <p>Everything such a decision reads is loaded once per consent epoch (the row every change bumps,
 * see {@link ConsentDecisions}) and reused until the epoch moves or the next instant at which a
 * consent period or grant starts or ends, so a revocation holds on the very next search and a
 * period ending at 10:00 stops applying at 10:00. Per requesting organisation, the exceptions are
 * computed once per load; a caller holding emergency grants gets their persons re-decided with
 * their username. The load grows with the number of persons who stated a choice (a few % of a
 * region), not with the registry.
 */
@ApplicationScoped
class SearchVisibility {

  @Inject ConsentStore store;

  @Inject ConsentConfig config;

  @Inject SearchExceptionSets sets;

  /** One hub Patient of a person with a consent or grant, with what its decision reads. */
  private record Bearing(String patientId, String site, PersonConsents consents) {}

  private record Region(
      long epoch,
      Instant validUntil,
      List<Bearing> bearing,
      Map<String, Set<String>> grantHolders,
      Map<String, Exceptions> exceptionsByOrganization) {}

  /**
   * One organisation's exceptions with their set's key (hashed once per region, not per search).
   */
  private record Exceptions(Set<String> patientIds, String key) {
    static Exceptions of(Set<String> patientIds) {
      Set<String> ids = Set.copyOf(patientIds);
      return new Exceptions(ids, ids.isEmpty() ? null : SearchExceptionSets.key(ids));
    }
  }

  private final AtomicReference<Region> current = new AtomicReference<>();

  /** The scope at the database's current consent epoch (read now). */
  SearchScope scope(String organization, String username, Instant at) {
    return scope(region(store.epoch(), at), organization, username, at);
  }

  /**
   * The scope from the region decided last, without reading the epoch; a search under it shows rows
   * only if the epoch has not moved since (see {@link ConsentEnforcement#search}).
   */
  SearchScope lastScope(String organization, String username, Instant at) {
    Region r = current.get();
    if (r == null || !at.isBefore(r.validUntil)) {
      return scope(organization, username, at);
    }
    return scope(r, organization, username, at);
  }

  /** Whether the database still holds the epoch {@code scope} was decided at. */
  boolean current(SearchScope scope) {
    return store.epoch() == scope.epoch();
  }

  private SearchScope scope(Region region, String organization, String username, Instant at) {
    ConsentPolicy policy = ConsentPolicy.of(config);
    boolean shownByDefault = organization != null && !policy.optIn();
    Exceptions exceptions =
        region.exceptionsByOrganization.computeIfAbsent(
            organization == null ? "" : organization,
            org -> Exceptions.of(exceptions(region, policy, organization, shownByDefault, at)));
    Map<String, Decision> emergency = new HashMap<>();
    Set<String> granted = username == null ? null : region.grantHolders.get(username);
    if (granted != null) {
      Set<String> adjusted = new HashSet<>(exceptions.patientIds());
      for (Bearing b : region.bearing) {
        if (!granted.contains(b.consents().person().key())) {
          continue;
        }
        Decision d = decide(policy, organization, username, b, at);
        if (d.permitted() == shownByDefault) {
          adjusted.remove(b.patientId());
        } else {
          adjusted.add(b.patientId());
        }
        if (d.outcome() == Decision.Outcome.PERMIT_EMERGENCY) {
          emergency.put(b.patientId(), d);
        }
      }
      exceptions = Exceptions.of(adjusted);
    }
    if (exceptions.key() != null) {
      sets.ensure(exceptions.key(), exceptions.patientIds(), at);
    }
    return new SearchScope(
        false,
        shownByDefault,
        organization,
        exceptions.patientIds(),
        exceptions.key(),
        emergency,
        region.epoch);
  }

  private static Set<String> exceptions(
      Region region,
      ConsentPolicy policy,
      String organization,
      boolean shownByDefault,
      Instant at) {
    Set<String> out = new HashSet<>();
    for (Bearing b : region.bearing) {
      if (decide(policy, organization, null, b, at).permitted() != shownByDefault) {
        out.add(b.patientId());
      }
    }
    return out;
  }

  private static Decision decide(
      ConsentPolicy policy, String organization, String username, Bearing b, Instant at) {
    return ConsentLogic.decide(
        policy,
        new AccessRequest(organization, username, b.site(), b.consents().person(), at),
        b.consents());
  }

  private Region region(long epoch, Instant at) {
    Region r = current.get();
    if (r != null && r.epoch == epoch && at.isBefore(r.validUntil)) {
      return r;
    }
    Region loaded = load(epoch, at);
    // Another request may have loaded a newer epoch meanwhile: keep the newest in the cache.
    current.accumulateAndGet(
        loaded, (old, fresh) -> old != null && old.epoch > fresh.epoch ? old : fresh);
    return loaded;
  }

  private Region load(long epoch, Instant at) {
    List<PersonConsents> persons = store.bearing();
    Set<String> patientIds = new HashSet<>();
    persons.forEach(p -> patientIds.addAll(p.person().patientIds()));
    Map<String, String> sites = store.sitesOf(patientIds);
    List<Bearing> bearing = new ArrayList<>();
    Map<String, Set<String>> holders = new HashMap<>();
    Instant validUntil = Instant.MAX;
    for (PersonConsents p : persons) {
      for (String id : p.person().patientIds()) {
        String site = sites.get(id);
        if (site != null) {
          bearing.add(new Bearing(id, site, p));
        }
      }
      for (ActiveGrant g : p.grants()) {
        holders.computeIfAbsent(g.username(), u -> new HashSet<>()).add(p.person().key());
        validUntil = earliestAfter(validUntil, at, g.startsAt(), g.endsAt());
      }
      for (RecordedConsent c : p.consents()) {
        validUntil = earliestAfter(validUntil, at, c.base().start(), c.base().end());
        for (ConsentRule e : c.exceptions()) {
          validUntil = earliestAfter(validUntil, at, e.start(), e.end());
        }
      }
    }
    return new Region(epoch, validUntil, bearing, holders, new ConcurrentHashMap<>());
  }

  /** The earliest of {@code current} and those of {@code instants} after {@code at}. */
  private static Instant earliestAfter(Instant current, Instant at, Instant... instants) {
    Instant out = current;
    for (Instant i : instants) {
      if (i != null && i.isAfter(at) && i.isBefore(out)) {
        out = i;
      }
    }
    return out;
  }
}
