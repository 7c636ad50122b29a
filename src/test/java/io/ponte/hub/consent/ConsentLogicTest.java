package io.ponte.hub.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.consent.Decision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The consent decision as a matrix: {opt-out, opt-in} × {no consent, deny all, deny org X, permit
 * org Y only, expired deny, emergency grant} × {the clinic, the owning hospital, another hospital},
 * with the expected outcome in every cell. The study is held at hospital-a; X and Y are the clinic.
 */
class ConsentLogicTest {

  static final String CLINIC = "clinic-norte";
  static final String OWNER = "hospital-a";
  static final String OTHER = "hospital-b";
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Person MARIA = new Person("REG-1", Set.of("p-a", "p-b"));

  /** The clinician asking, per organisation; each holds the emergency grant in that row. */
  static String user(String org) {
    return "dr@" + org;
  }

  enum Situation {
    NO_CONSENT,
    DENY_ALL,
    DENY_CLINIC,
    PERMIT_CLINIC_ONLY,
    EXPIRED_DENY_ALL,
    DENY_ALL_WITH_EMERGENCY_GRANT
  }

  static PersonConsents consents(Situation s, String requester) {
    List<RecordedConsent> consents = new ArrayList<>();
    List<ActiveGrant> grants = new ArrayList<>();
    switch (s) {
      case NO_CONSENT -> {}
      case DENY_ALL -> consents.add(consent("c1", rule(false, Set.of(), null, null)));
      case DENY_CLINIC -> consents.add(consent("c1", rule(false, Set.of(CLINIC), null, null)));
      case PERMIT_CLINIC_ONLY ->
          consents.add(
              consent(
                  "c1", rule(false, Set.of(), null, null), rule(true, Set.of(CLINIC), null, null)));
      case EXPIRED_DENY_ALL ->
          consents.add(
              consent(
                  "c1",
                  rule(false, Set.of(), NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1))));
      case DENY_ALL_WITH_EMERGENCY_GRANT -> {
        consents.add(consent("c1", rule(false, Set.of(), null, null)));
        grants.add(grant("g1", user(requester)));
      }
    }
    return new PersonConsents(MARIA, consents, grants);
  }

  static ConsentRule rule(boolean permit, Set<String> actors, Instant start, Instant end) {
    return new ConsentRule(permit, actors, Set.of(), start, end);
  }

  static RecordedConsent consent(String id, ConsentRule base, ConsentRule... exceptions) {
    return consent(id, NOW.minus(Duration.ofDays(1)), base, exceptions);
  }

  static RecordedConsent consent(
      String id, Instant at, ConsentRule base, ConsentRule... exceptions) {
    return new RecordedConsent(id, at, at, base, List.of(exceptions));
  }

  static ActiveGrant grant(String id, String username) {
    return new ActiveGrant(id, username, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)));
  }

  static Outcome decide(ConsentPolicy policy, String org, PersonConsents consents) {
    return ConsentLogic.decide(
            policy, new AccessRequest(org, user(org), OWNER, MARIA, NOW), consents)
        .outcome();
  }

  static final Outcome P = Outcome.PERMIT;
  static final Outcome D = Outcome.DENY;
  static final Outcome E = Outcome.PERMIT_EMERGENCY;

  /** policy, situation, expected for {clinic, owning hospital, another hospital}. */
  static Stream<Arguments> matrix() {
    return Stream.of(
        Arguments.of("opt-out", Situation.NO_CONSENT, P, P, P),
        Arguments.of("opt-out", Situation.DENY_ALL, D, P, D),
        Arguments.of("opt-out", Situation.DENY_CLINIC, D, P, P),
        Arguments.of("opt-out", Situation.PERMIT_CLINIC_ONLY, P, P, D),
        Arguments.of("opt-out", Situation.EXPIRED_DENY_ALL, P, P, P),
        Arguments.of("opt-out", Situation.DENY_ALL_WITH_EMERGENCY_GRANT, E, P, E),
        Arguments.of("opt-in", Situation.NO_CONSENT, D, P, D),
        Arguments.of("opt-in", Situation.DENY_ALL, D, P, D),
        Arguments.of("opt-in", Situation.DENY_CLINIC, D, P, D),
        Arguments.of("opt-in", Situation.PERMIT_CLINIC_ONLY, P, P, D),
        Arguments.of("opt-in", Situation.EXPIRED_DENY_ALL, D, P, D),
        Arguments.of("opt-in", Situation.DENY_ALL_WITH_EMERGENCY_GRANT, E, P, E));
  }

  @ParameterizedTest(name = "{0}, {1}: clinic {2}, owning hospital {3}, another hospital {4}")
  @MethodSource("matrix")
  void decidesEveryCellOfTheMatrix(
      String region, Situation situation, Outcome clinic, Outcome owner, Outcome other) {
    ConsentPolicy policy = new ConsentPolicy(region.equals("opt-in"), true);
    assertThat(decide(policy, CLINIC, consents(situation, CLINIC)))
        .as("the clinic")
        .isEqualTo(clinic);
    assertThat(decide(policy, OWNER, consents(situation, OWNER)))
        .as("the owning hospital")
        .isEqualTo(owner);
    assertThat(decide(policy, OTHER, consents(situation, OTHER)))
        .as("another hospital")
        .isEqualTo(other);
  }

  static final ConsentPolicy OPT_OUT = new ConsentPolicy(false, true);
  static final ConsentPolicy OPT_IN = new ConsentPolicy(true, true);

  @Nested
  @DisplayName("newest applicable consent wins")
  class Newest {

    @Test
    void aNewerPermitAllRevokesAnOlderDeny() {
      PersonConsents c =
          new PersonConsents(
              MARIA,
              List.of(
                  consent("old", NOW.minus(Duration.ofDays(2)), rule(false, Set.of(), null, null)),
                  consent("new", NOW.minus(Duration.ofDays(1)), rule(true, Set.of(), null, null))),
              List.of());
      assertThat(decide(OPT_OUT, CLINIC, c)).isEqualTo(P);
      assertThat(decide(OPT_IN, OTHER, c)).isEqualTo(P);
    }

    @Test
    void aNewerDenyOfOneOrganisationLeavesAnOlderDenyOfAnotherStanding() {
      PersonConsents c =
          new PersonConsents(
              MARIA,
              List.of(
                  consent(
                      "x", NOW.minus(Duration.ofDays(2)), rule(false, Set.of(CLINIC), null, null)),
                  consent(
                      "y", NOW.minus(Duration.ofDays(1)), rule(false, Set.of(OTHER), null, null))),
              List.of());
      assertThat(decide(OPT_OUT, CLINIC, c)).isEqualTo(D);
      assertThat(decide(OPT_OUT, OTHER, c)).isEqualTo(D);
    }

    @Test
    void aConsentNotYetInForceSaysNothing() {
      PersonConsents c =
          new PersonConsents(
              MARIA,
              List.of(consent("later", rule(false, Set.of(), NOW.plusSeconds(3600), null))),
              List.of());
      assertThat(decide(OPT_OUT, CLINIC, c)).isEqualTo(P);
    }

    @Test
    void aDenyLimitedToStudiesHeldAtOneSiteLeavesOtherSitesStudiesShared() {
      ConsentRule onlyAtB = new ConsentRule(false, Set.of(), Set.of(OTHER), null, null);
      PersonConsents c = new PersonConsents(MARIA, List.of(consent("c", onlyAtB)), List.of());
      Decision atA =
          ConsentLogic.decide(OPT_OUT, new AccessRequest(CLINIC, "dr", OWNER, MARIA, NOW), c);
      Decision atB =
          ConsentLogic.decide(OPT_OUT, new AccessRequest(CLINIC, "dr", OTHER, MARIA, NOW), c);
      assertThat(atA.outcome()).isEqualTo(P);
      assertThat(atB.outcome()).isEqualTo(D);
    }
  }

  @Nested
  @DisplayName("emergency grants")
  class Emergency {

    PersonConsents denyAllWithGrant(ActiveGrant grant) {
      return new PersonConsents(
          MARIA, List.of(consent("c1", rule(false, Set.of(), null, null))), List.of(grant));
    }

    @Test
    void doNotOverrideAnExplicitDenyWhenThePolicySaysSo() {
      ConsentPolicy strict = new ConsentPolicy(false, false);
      assertThat(decide(strict, CLINIC, denyAllWithGrant(grant("g", user(CLINIC))))).isEqualTo(D);
    }

    @Test
    void stillOverrideTheAbsenceOfAnOptInWhenThePolicyKeepsExplicitDenies() {
      ConsentPolicy strictOptIn = new ConsentPolicy(true, false);
      PersonConsents c = new PersonConsents(MARIA, List.of(), List.of(grant("g", user(CLINIC))));
      assertThat(decide(strictOptIn, CLINIC, c)).isEqualTo(E);
    }

    @Test
    void belongToOneClinicianOnly() {
      assertThat(decide(OPT_OUT, CLINIC, denyAllWithGrant(grant("g", "someone-else"))))
          .isEqualTo(D);
    }

    @Test
    void holdOnlyDuringTheirTime() {
      ActiveGrant over =
          new ActiveGrant("g", user(CLINIC), NOW.minus(Duration.ofHours(5)), NOW.minusSeconds(1));
      assertThat(decide(OPT_OUT, CLINIC, denyAllWithGrant(over))).isEqualTo(D);
    }

    @Test
    void nameTheGrantInTheDecision() {
      Decision d =
          ConsentLogic.decide(
              OPT_OUT,
              new AccessRequest(CLINIC, user(CLINIC), OWNER, MARIA, NOW),
              denyAllWithGrant(grant("g-42", user(CLINIC))));
      assertThat(d.grantId()).isEqualTo("g-42");
      assertThat(d.permitted()).isTrue();
    }
  }

  @Test
  void refusesARequesterWithoutAnOrganisationOutsideTheOwningSite() {
    assertThat(
            ConsentLogic.decide(
                    OPT_OUT,
                    new AccessRequest(null, "dr", OWNER, MARIA, NOW),
                    PersonConsents.none(MARIA))
                .outcome())
        .isEqualTo(D);
  }
}
