package io.ponte.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.demo.DemoCatalogue;
import io.ponte.text.NameFolding;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the demo's patients give the authority's identity review ({@code /authority/identity}) when
 * the nodes publish them in catalogue order: the matcher's own rules (blocking, score, decision,
 * default thresholds) as {@link PatientMatcher} applies them at publication. Maria's two records
 * are linked on their own (the linked tab), João's and Hélène's namesakes wait for review (the open
 * tab; the demo keeps Hélène's apart), and nobody else is proposed.
 */
class DemoIdentityReviewTest {

  static final double AUTO_LINK = 0.92;
  static final double REVIEW = 0.75;

  record Known(DemoCatalogue.Patient patient, Demographics demographics, String person) {}

  @Test
  void theDemoGivesALinkedPairAndTwoPairsToReview() {
    List<Known> known = new ArrayList<>();
    Set<String> linked = new LinkedHashSet<>();
    Set<String> review = new LinkedHashSet<>();
    Map<String, Double> scores = new HashMap<>();
    for (DemoCatalogue.Patient p :
        DemoCatalogue.STUDIES.stream().map(DemoCatalogue.Study::patient).distinct().toList()) {
      Demographics d = demographics(p);
      MatchBlocking blocking = MatchBlocking.of(d);
      List<MatchDecision.Candidate> candidates = new ArrayList<>();
      for (Known k : known) {
        if (!k.patient().site().equals(p.site())
            && blocking.admits(
                k.demographics().birthDate(),
                NameFolding.key(k.demographics().family(), k.demographics().given()))) {
          MatchScorer.Score score = MatchScorer.score(d, k.demographics());
          scores.put(pair(k.patient(), p), score.value());
          candidates.add(
              new MatchDecision.Candidate(
                  k.patient().mrn(),
                  k.patient().site(),
                  k.person(),
                  Set.of(k.patient().site()),
                  score));
        }
      }
      MatchDecision.Outcome outcome = MatchDecision.decide(p.site(), candidates, AUTO_LINK, REVIEW);
      String person = null;
      if (outcome.link() != null) {
        linked.add(pair(mrn(known, outcome.link().patientId()), p));
        person = "person-of-" + outcome.link().patientId();
      }
      for (MatchDecision.Candidate c : outcome.review()) {
        review.add(pair(mrn(known, c.patientId()), p));
      }
      known.add(new Known(p, d, person));
    }

    assertThat(linked).containsExactly("HA-100234+HB-5521");
    assertThat(review).containsExactlyInAnyOrder("HA-101002+HB-6102", "HA-100871+HB-6231");
    for (String pair : review) {
      assertThat(scores.get(pair)).as(pair).isBetween(REVIEW, AUTO_LINK - 0.0001);
    }
    // The pair the demo keeps apart is one of those put on the review list.
    DemoCatalogue.KeptApart apart = DemoCatalogue.KEPT_APART;
    assertThat(review).contains(pair(apart.a(), apart.b()));
    assertThat(apart.note()).isNotBlank();
  }

  static Demographics demographics(DemoCatalogue.Patient p) {
    String[] name = p.name().split("\\^");
    return new Demographics(
        name[0],
        name.length > 1 ? name[1] : null,
        LocalDate.parse(p.birthDate(), DateTimeFormatter.BASIC_ISO_DATE),
        switch (p.sex()) {
          case "F" -> "female";
          case "M" -> "male";
          default -> "unknown";
        });
  }

  static String pair(DemoCatalogue.Patient a, DemoCatalogue.Patient b) {
    return a.mrn().compareTo(b.mrn()) < 0 ? a.mrn() + "+" + b.mrn() : b.mrn() + "+" + a.mrn();
  }

  static DemoCatalogue.Patient mrn(List<Known> known, String mrn) {
    return known.stream()
        .map(Known::patient)
        .filter(p -> p.mrn().equals(mrn))
        .findFirst()
        .orElseThrow();
  }
}
