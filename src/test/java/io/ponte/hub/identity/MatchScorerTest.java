package io.ponte.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scorer's rules on the spellings the issue names, and the decision's safety rules. */
class MatchScorerTest {

  static final LocalDate BORN = LocalDate.of(1968, 4, 12);

  static Demographics d(String family, String given, LocalDate birth, String sex) {
    return new Demographics(family, given, birth, sex);
  }

  static double score(Demographics a, Demographics b) {
    return MatchScorer.score(a, b).value();
  }

  @Test
  void oneSpellingOfAPersonMatchesTheOthersAboveTheAutoLinkThreshold() {
    Demographics dicom = d("GONÇALVES", "MARIA", BORN, "female");
    Demographics swapped = d("Maria", "Goncalves", BORN, "female");
    Demographics particle = d("Gonçalves da Silva", "Maria", BORN, "female");
    assertThat(score(dicom, swapped)).isEqualTo(1.0);
    assertThat(score(dicom, particle)).isGreaterThanOrEqualTo(MatchQualityTest.AUTO);
    assertThat(score(swapped, particle)).isGreaterThanOrEqualTo(MatchQualityTest.AUTO);
    assertThat(MatchScorer.score(dicom, particle).explained())
        .contains("goncalves", "maria", "unmatched: silva", "birth date exact", "sex same");
  }

  @Test
  void toleratesATypoAndASwappedOrMistypedBirthDate() {
    Demographics a = d("Gonçalves", "Maria", BORN, "female");
    assertThat(score(a, d("Goncalces", "Maria", BORN, "female")))
        .isGreaterThanOrEqualTo(MatchQualityTest.AUTO);
    assertThat(score(a, d("Gonçalves", "Maria", LocalDate.of(1968, 12, 4), "female")))
        .isGreaterThanOrEqualTo(MatchQualityTest.AUTO);
    // A digit wrong: worth a look, not a link.
    double digit = score(a, d("Gonçalves", "Maria", LocalDate.of(1969, 4, 12), "female"));
    assertThat(digit).isBetween(MatchQualityTest.REVIEW, MatchQualityTest.AUTO);
    assertThat(score(a, d("Gonçalves", "Maria", LocalDate.of(1975, 9, 30), "female")))
        .isLessThan(MatchQualityTest.REVIEW);
  }

  @Test
  void twinsAndNamesakesAreNotLinked() {
    Demographics ana = d("Silva", "Ana", BORN, "female");
    Demographics rita = d("Silva", "Rita", BORN, "female");
    assertThat(score(ana, rita)).isLessThan(MatchQualityTest.REVIEW);
    assertThat(score(d("Silva", "Mário", BORN, "male"), d("Silva", "Maria", BORN, "female")))
        .isLessThan(MatchQualityTest.AUTO);
    // One word of a name is not enough to be sure.
    assertThat(score(d("Silva", null, BORN, "female"), d("Silva", "Ana", BORN, "female")))
        .isLessThan(MatchQualityTest.AUTO);
  }

  @Test
  void jaroWinklerKnowsTheTextbookPairs() {
    assertThat(JaroWinkler.similarity("martha", "marhta")).isCloseTo(0.961, within());
    assertThat(JaroWinkler.similarity("dixon", "dicksonx")).isCloseTo(0.813, within());
    assertThat(JaroWinkler.similarity("abc", "xyz")).isZero();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.001);
  }

  @Test
  void blockingFindsSwappedAndOneDigitDatesOnlyWithALikeName() {
    MatchBlocking b = MatchBlocking.of(d("Gonçalves", "Maria", BORN, "female"));
    assertThat(b.admits(BORN, "anything^else")).isTrue();
    assertThat(b.admits(LocalDate.of(1968, 12, 4), "silva^ana")).isTrue();
    assertThat(b.admits(LocalDate.of(1969, 4, 12), "goncalves^maria")).isTrue();
    assertThat(b.admits(LocalDate.of(1969, 4, 12), "maria^goncalves")).isTrue();
    assertThat(b.admits(LocalDate.of(1969, 4, 12), "silva^ana")).isFalse();
    assertThat(b.admits(LocalDate.of(1975, 9, 30), "goncalves^maria")).isFalse();
    assertThat(MatchBlocking.of(d("Silva", "Ana", null, "female"))).isNull();
  }

  @Test
  void linksOnlyOneUnambiguousPersonNotYetKnownAtTheSite() {
    MatchScorer.Score high = new MatchScorer.Score(0.98, List.of());
    MatchScorer.Score mid = new MatchScorer.Score(0.8, List.of());
    var one = new MatchDecision.Candidate("p1", "hospital-a", null, Set.of("hospital-a"), high);
    var other =
        new MatchDecision.Candidate("p2", "hospital-c", "REG-2", Set.of("hospital-c"), high);
    var sameSite =
        new MatchDecision.Candidate("p3", "hospital-b", null, Set.of("hospital-b"), high);
    var known =
        new MatchDecision.Candidate("p4", "hospital-a", "REG-4", Set.of("hospital-b"), high);
    var maybe = new MatchDecision.Candidate("p5", "hospital-c", null, Set.of("hospital-c"), mid);

    assertThat(MatchDecision.decide("hospital-b", List.of(one, maybe), 0.92, 0.75).link())
        .isEqualTo(one);
    var twoPersons = MatchDecision.decide("hospital-b", List.of(one, other), 0.92, 0.75);
    assertThat(twoPersons.link()).isNull();
    assertThat(twoPersons.review()).containsExactly(one, other);
    assertThat(MatchDecision.decide("hospital-b", List.of(sameSite), 0.92, 0.75).review())
        .isEmpty();
    var alreadyThere = MatchDecision.decide("hospital-b", List.of(known), 0.92, 0.75);
    assertThat(alreadyThere.link()).isNull();
    assertThat(alreadyThere.review()).containsExactly(known);
  }
}
