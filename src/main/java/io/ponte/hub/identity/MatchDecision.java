package io.ponte.hub.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the matcher does with a new patient's scored candidates (pure, so the quality test runs the
 * same rules as publication). A candidate belongs to a person: its regional id, or itself while it
 * is unlinked. The new patient is linked automatically only when exactly one person reaches the
 * auto-link threshold and that person has no patient at the new patient's site yet (a site does not
 * give one person two records knowingly: two hits mean twins or namesakes, for a person to decide).
 * Otherwise the best patient of each person above the review threshold goes on the review list, at
 * most {@value #MAX_REVIEW} of them.
 */
public final class MatchDecision {

  static final int MAX_REVIEW = 5;

  private MatchDecision() {}

  /**
   * A scored candidate: the known patient, its site, its person ({@code regionalId}, or null when
   * unlinked) and the sites that person already has patients at.
   */
  public record Candidate(
      String patientId,
      String siteId,
      String regionalId,
      Set<String> personSites,
      MatchScorer.Score score) {

    String personKey() {
      return regionalId != null ? "r:" + regionalId : "p:" + patientId;
    }
  }

  /** Link into {@code link} (null: none), and put {@code review} on the review list. */
  public record Outcome(Candidate link, List<Candidate> review) {}

  public static Outcome decide(
      String newSite, List<Candidate> candidates, double autoLink, double review) {
    Map<String, Candidate> bestOfPerson = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      if (c.siteId().equals(newSite) || c.score().value() < review) {
        continue;
      }
      bestOfPerson.merge(
          c.personKey(), c, (a, b) -> a.score().value() >= b.score().value() ? a : b);
    }
    List<Candidate> ranked = new ArrayList<>(bestOfPerson.values());
    ranked.sort(Comparator.comparingDouble((Candidate c) -> -c.score().value()));
    List<Candidate> auto = ranked.stream().filter(c -> c.score().value() >= autoLink).toList();
    if (auto.size() == 1 && !auto.get(0).personSites().contains(newSite)) {
      return new Outcome(auto.get(0), List.of());
    }
    return new Outcome(null, ranked.subList(0, Math.min(MAX_REVIEW, ranked.size())));
  }
}
