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
      Map<String, Set<String>> exceptionsByOrganization) {}

  private final AtomicReference<Region> current = new AtomicReference<>();

  SearchScope scope(String organization, String username, Instant at) {
    ConsentPolicy policy = ConsentPolicy.of(config);
    Region region = region(at);
    boolean shownByDefault = organization != null && !policy.optIn();
    Set<String> exceptions =
        region.exceptionsByOrganization.computeIfAbsent(
            organization == null ? "" : organization,
            org -> exceptions(region, policy, organization, shownByDefault, at));
    Map<String, Decision> emergency = new HashMap<>();
    Set<String> granted = username == null ? null : region.grantHolders.get(username);
    if (granted != null) {
      Set<String> adjusted = new HashSet<>(exceptions);
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
      exceptions = adjusted;
    }
    String set = exceptions.isEmpty() ? null : sets.ensure(exceptions, at);
    return new SearchScope(false, shownByDefault, organization, exceptions, set, emergency);
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
    return Set.copyOf(out);
  }

  private static Decision decide(
      ConsentPolicy policy, String organization, String username, Bearing b, Instant at) {
    return ConsentLogic.decide(
        policy,
        new AccessRequest(organization, username, b.site(), b.consents().person(), at),
        b.consents());
  }

  private Region region(Instant at) {
    long epoch = store.epoch();
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
