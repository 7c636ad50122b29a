package io.ponte.hub.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one consent decision every path calls (FHIR, QIDO-RS, WADO-RS, pages): loads the person's
 * consents and grants, caches them, and applies {@link ConsentLogic}.
 *
 * <p>Why a version row and not LISTEN/NOTIFY: every change that can alter a decision (a consent, a
 * grant, an identity link) bumps {@code consent_epoch} in its own transaction (V20 triggers), and
 * every decision first reads that one row by primary key. A revocation is therefore seen by every
 * hub instance on its very next request after the commit, with nothing that can silently fall
 * behind: a LISTEN connection that drops (failover, idle timeout, pooler) would leave an instance
 * serving stale decisions until someone noticed. The price is one primary-key read per request (not
 * per study), well under a millisecond next to the request's own queries. Data loaded after reading
 * epoch E is at least as new as E, so it may be cached under E.
 */
@ApplicationScoped
public class ConsentDecisions {

  @Inject ConsentStore store;

  @Inject ConsentConfig config;

  /** A study (or Patient) to decide on: a caller's key, its hub Patient id and its owning site. */
  public record Subject(String key, String patientId, String owningSite) {}

  private record Generation(
      long epoch, Map<String, Person> persons, Map<String, PersonConsents> consents) {
    Generation(long epoch) {
      this(epoch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }
  }

  private final AtomicReference<Generation> current = new AtomicReference<>(new Generation(-1));

  /** The decision for one access; see {@link ConsentLogic} for the rules. */
  public Decision decide(AccessRequest request) {
    Generation g = generation();
    PersonConsents consents = consentsOf(g, List.of(request.person())).get(request.person().key());
    return ConsentLogic.decide(policy(), request, consents);
  }

  /**
   * Decisions for many studies of a search page in a fixed number of queries (persons, consents,
   * grants), keyed by {@link Subject#key()}.
   */
  public Map<String, Decision> decideAll(
      String organization, String username, Collection<Subject> subjects, Instant at) {
    Generation g = generation();
    Set<String> patientIds = new HashSet<>();
    subjects.forEach(s -> patientIds.add(s.patientId()));
    Map<String, Person> persons = personsOf(g, patientIds);
    Map<String, PersonConsents> consents = consentsOf(g, persons.values());
    ConsentPolicy policy = policy();
    Map<String, Decision> out = new LinkedHashMap<>();
    for (Subject s : subjects) {
      Person person = persons.get(s.patientId());
      out.put(
          s.key(),
          ConsentLogic.decide(
              policy,
              new AccessRequest(organization, username, s.owningSite(), person, at),
              consents.get(person.key())));
    }
    return out;
  }

  /** The person a hub Patient belongs to (cached with the decisions). */
  public Person personOf(String patientId) {
    return personsOf(generation(), Set.of(patientId)).get(patientId);
  }

  /** A person's current active consents and grants, as the decision sees them. */
  public PersonConsents consentsOf(Person person) {
    return consentsOf(generation(), List.of(person)).get(person.key());
  }

  public ConsentPolicy policy() {
    return ConsentPolicy.of(config);
  }

  private Generation generation() {
    long epoch = store.epoch();
    while (true) {
      Generation g = current.get();
      if (g.epoch() == epoch) {
        return g;
      }
      if (g.epoch() > epoch) {
        // This request read an older epoch than another already did: decide on fresh data,
        // uncached.
        return new Generation(epoch);
      }
      Generation next = new Generation(epoch);
      if (current.compareAndSet(g, next)) {
        return next;
      }
    }
  }

  private Map<String, Person> personsOf(Generation g, Set<String> patientIds) {
    Map<String, Person> out = new HashMap<>();
    Set<String> missing = new HashSet<>();
    for (String id : patientIds) {
      Person p = g.persons().get(id);
      if (p == null) {
        missing.add(id);
      } else {
        out.put(id, p);
      }
    }
    if (!missing.isEmpty()) {
      Map<String, Person> loaded = store.persons(missing);
      bound(g);
      g.persons().putAll(loaded);
      out.putAll(loaded);
    }
    return out;
  }

  private Map<String, PersonConsents> consentsOf(Generation g, Collection<Person> persons) {
    Map<String, PersonConsents> out = new HashMap<>();
    Map<String, Person> missing = new HashMap<>();
    for (Person p : persons) {
      PersonConsents c = g.consents().get(p.key());
      if (c == null || !c.person().equals(p)) {
        missing.put(p.key(), p);
      } else {
        out.put(p.key(), c);
      }
    }
    if (!missing.isEmpty()) {
      Map<String, PersonConsents> loaded = store.consents(missing.values());
      bound(g);
      g.consents().putAll(loaded);
      out.putAll(loaded);
    }
    return out;
  }

  private void bound(Generation g) {
    if (g.persons().size() + g.consents().size() > 2 * config.cacheSize()) {
      g.persons().clear();
      g.consents().clear();
    }
  }
}
