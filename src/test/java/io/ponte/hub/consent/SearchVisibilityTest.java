package io.ponte.hub.consent;

import static io.ponte.hub.consent.ConsentLogicTest.CLINIC;
import static io.ponte.hub.consent.ConsentLogicTest.MARIA;
import static io.ponte.hub.consent.ConsentLogicTest.NOW;
import static io.ponte.hub.consent.ConsentLogicTest.OTHER;
import static io.ponte.hub.consent.ConsentLogicTest.OWNER;
import static io.ponte.hub.consent.ConsentLogicTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.consent.Decision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scope a search puts into its SQL agrees with the decision itself in every cell of the matrix,
 * and follows changes: a new epoch, and the end of a consent's period without one. maria's hub
 * Patients: p-a at the owning hospital, p-b at the other; p-c (no consent) at the owning hospital.
 */
class SearchVisibilityTest {

  static final Map<String, String> SITES = Map.of("p-a", OWNER, "p-b", OTHER, "p-c", OWNER);

  /** The store's answers, set by each test. */
  static final class FakeStore extends ConsentStore {
    long epoch = 1;
    List<PersonConsents> bearing = List.of();
    int loads;

    @Override
    long epoch() {
      return epoch;
    }

    @Override
    List<PersonConsents> bearing() {
      loads++;
      return bearing;
    }

    @Override
    Map<String, String> sitesOf(Collection<String> patientIds) {
      return SITES;
    }
  }

  /** Names sets as the real one does, without a database. */
  static final class FakeSets extends SearchExceptionSets {
    @Override
    void ensure(String key, Set<String> patientIds, Instant now) {}
  }

  static SearchVisibility visibility(FakeStore store, boolean optIn) {
    SearchVisibility v = new SearchVisibility();
    v.store = store;
    v.sets = new FakeSets();
    v.config = config(optIn);
    return v;
  }

  @ParameterizedTest(name = "{0}, {1}: clinic {2}, owning hospital {3}, another hospital {4}")
  @MethodSource("io.ponte.hub.consent.ConsentLogicTest#matrix")
  void theScopeShowsExactlyWhatTheDecisionPermits(
      String region,
      ConsentLogicTest.Situation situation,
      Outcome clinic,
      Outcome owner,
      Outcome other) {
    Map<String, Outcome> expected = Map.of(CLINIC, clinic, OWNER, owner, OTHER, other);
    boolean optIn = region.equals("opt-in");
    for (String org : List.of(CLINIC, OWNER, OTHER)) {
      FakeStore store = new FakeStore();
      store.bearing = List.of(ConsentLogicTest.consents(situation, org));
      SearchScope scope = visibility(store, optIn).scope(org, user(org), NOW);
      Outcome cell = expected.get(org);
      assertThat(scope.shows("p-a", OWNER)).as("%s asking", org).isEqualTo(cell != Outcome.DENY);
      assertThat(scope.emergency().containsKey("p-a"))
          .as("%s asking: shown under a grant", org)
          .isEqualTo(cell == Outcome.PERMIT_EMERGENCY);
      // A patient with no consent follows the region's default (own site always shown).
      assertThat(scope.shows("p-c", OWNER)).isEqualTo(!optIn || org.equals(OWNER));
      // A colleague of the same organisation without the grant is not let in by it.
      if (cell == Outcome.PERMIT_EMERGENCY) {
        SearchScope colleague = visibility(store, optIn).scope(org, "colleague@" + org, NOW);
        assertThat(colleague.shows("p-a", OWNER)).isFalse();
        assertThat(colleague.emergency()).isEmpty();
      }
    }
  }

  @Test
  void aNewEpochIsSeenOnTheNextSearchAndOnlyThenReloaded() {
    FakeStore store = new FakeStore();
    SearchVisibility visibility = visibility(store, false);
    assertThat(visibility.scope(CLINIC, user(CLINIC), NOW).shows("p-b", OTHER)).isTrue();
    visibility.scope(CLINIC, user(CLINIC), NOW);
    assertThat(store.loads).isEqualTo(1);

    store.bearing =
        List.of(ConsentLogicTest.consents(ConsentLogicTest.Situation.DENY_CLINIC, CLINIC));
    store.epoch = 2;
    SearchScope scope = visibility.scope(CLINIC, user(CLINIC), NOW);
    assertThat(scope.shows("p-a", OWNER)).isFalse();
    assertThat(scope.shows("p-b", OTHER)).isFalse();
    assertThat(scope.mayWithhold()).isTrue();
    assertThat(store.loads).isEqualTo(2);
    // hospital-b's clinicians still see their own patient, and (the deny names the clinic) p-a.
    assertThat(visibility.scope(OTHER, user(OTHER), NOW).shows("p-b", OTHER)).isTrue();
    assertThat(visibility.scope(OTHER, user(OTHER), NOW).shows("p-a", OWNER)).isTrue();
  }

  @Test
  void theLastScopeReadsNoEpochAndIsCurrentOnlyUntilTheEpochMoves() {
    FakeStore store = new FakeStore();
    SearchVisibility visibility = visibility(store, false);
    SearchScope first = visibility.lastScope(CLINIC, user(CLINIC), NOW);
    assertThat(first.epoch()).isEqualTo(1);
    assertThat(visibility.current(first)).isTrue();

    store.bearing =
        List.of(ConsentLogicTest.consents(ConsentLogicTest.Situation.DENY_CLINIC, CLINIC));
    store.epoch = 2;
    // Decided from the region loaded at epoch 1: still shows p-a, which is why the registry's SQL
    // shows nothing under a scope whose epoch is no longer the database's.
    SearchScope stale = visibility.lastScope(CLINIC, user(CLINIC), NOW);
    assertThat(stale.epoch()).isEqualTo(1);
    assertThat(stale.shows("p-a", OWNER)).isTrue();
    assertThat(visibility.current(stale)).isFalse();
    assertThat(store.loads).isEqualTo(1);

    SearchScope fresh = visibility.scope(CLINIC, user(CLINIC), NOW);
    assertThat(fresh.epoch()).isEqualTo(2);
    assertThat(fresh.shows("p-a", OWNER)).isFalse();
    assertThat(visibility.lastScope(CLINIC, user(CLINIC), NOW).epoch()).isEqualTo(2);
    assertThat(store.loads).isEqualTo(2);
  }

  @Test
  void aDenyStopsApplyingTheMomentItsPeriodEndsWithoutANewEpoch() {
    FakeStore store = new FakeStore();
    Instant end = NOW.plus(Duration.ofHours(1));
    store.bearing =
        List.of(
            new PersonConsents(
                MARIA,
                List.of(
                    ConsentLogicTest.consent(
                        "c1", ConsentLogicTest.rule(false, Set.of(), null, end))),
                List.of()));
    SearchVisibility visibility = visibility(store, false);
    assertThat(visibility.scope(CLINIC, null, NOW).shows("p-a", OWNER)).isFalse();
    assertThat(visibility.scope(CLINIC, null, end.minusMillis(1)).shows("p-a", OWNER)).isFalse();
    assertThat(visibility.scope(CLINIC, null, end).shows("p-a", OWNER)).isTrue();
    assertThat(store.loads).isEqualTo(2);
  }

  @Test
  void anUnrestrictedScopeWithholdsNothing() {
    assertThat(SearchScope.UNRESTRICTED.mayWithhold()).isFalse();
    assertThat(SearchScope.UNRESTRICTED.shows("anyone", "anywhere")).isTrue();
  }

  static ConsentConfig config(boolean optIn) {
    return new ConsentConfig() {
      @Override
      public RegionPolicy policy() {
        return optIn ? RegionPolicy.OPT_IN : RegionPolicy.OPT_OUT;
      }

      @Override
      public boolean emergencyOverridesOptOut() {
        return true;
      }

      @Override
      public Duration emergencyDefaultDuration() {
        return Duration.ofHours(4);
      }

      @Override
      public Duration emergencyMaxDuration() {
        return Duration.ofHours(24);
      }

      @Override
      public boolean enforcement() {
        return true;
      }

      @Override
      public int cacheSize() {
        return 1000;
      }
    };
  }
}
