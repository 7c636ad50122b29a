package io.ponte.hub.identity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How alike two patients' demographics are, as a score from 0 to 1 with the reasons a reviewer
 * reads. Deliberately small and explainable: a weighted sum of three parts.
 *
 * <ul>
 *   <li>Name (weight {@value #NAME_WEIGHT}): the words of both names ({@link NameTokens}) paired
 *       greedily by Jaro-Winkler similarity; a pair counts when at least {@value #WORD_MATCH} (one
 *       typo), else not at all. The shorter name's words should all be found in the longer one (85
 *       %: a second family name or a dropped particle costs little) and the longer one's mostly (15
 *       %). A name of one word alone scores at most {@value #ONE_WORD_CAP}.
 *   <li>Birth date (weight {@value #DATE_WEIGHT}): exact 1, day and month swapped 0.8, one digit
 *       different 0.7, else 0.
 *   <li>Sex (weight {@value #SEX_WEIGHT}): same 1, unknown on either side 0.5, different 0.
 * </ul>
 */
public final class MatchScorer {

  static final double NAME_WEIGHT = 0.6;
  static final double DATE_WEIGHT = 0.3;
  static final double SEX_WEIGHT = 0.1;
  static final double WORD_MATCH = 0.88;
  static final double ONE_WORD_CAP = 0.6;

  private MatchScorer() {}

  /** A score and why. */
  public record Score(double value, List<String> reasons) {
    public String explained() {
      return String.join("; ", reasons);
    }
  }

  public static Score score(Demographics a, Demographics b) {
    List<String> reasons = new ArrayList<>();
    double name = name(a, b, reasons);
    double date = birthDate(a.birthDate(), b.birthDate(), reasons);
    double sex = sex(a.gender(), b.gender(), reasons);
    double total = NAME_WEIGHT * name + DATE_WEIGHT * date + SEX_WEIGHT * sex;
    return new Score(Math.round(total * 10000) / 10000.0, reasons);
  }

  static double name(Demographics a, Demographics b, List<String> reasons) {
    List<String> x = NameTokens.of(a.family(), a.given());
    List<String> y = NameTokens.of(b.family(), b.given());
    if (x.isEmpty() || y.isEmpty()) {
      reasons.add("name missing");
      return 0;
    }
    List<String> shorter = x.size() <= y.size() ? x : y;
    List<String> longer = new ArrayList<>(shorter == x ? y : x);
    List<String> pairs = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    double sum = 0;
    for (String word : greedyOrder(shorter, longer)) {
      int best = -1;
      double bestSim = 0;
      for (int i = 0; i < longer.size(); i++) {
        double sim = JaroWinkler.similarity(word, longer.get(i));
        if (sim > bestSim) {
          bestSim = sim;
          best = i;
        }
      }
      if (best >= 0 && bestSim >= WORD_MATCH) {
        String other = longer.remove(best);
        sum += bestSim;
        pairs.add(word.equals(other) ? word : word + "~" + other);
      } else {
        unmatched.add(word);
      }
    }
    unmatched.addAll(longer);
    double contained = sum / shorter.size();
    double covered = sum / Math.max(x.size(), y.size());
    double score = 0.85 * contained + 0.15 * covered;
    if (shorter.size() < 2) {
      score = Math.min(score, ONE_WORD_CAP);
    }
    reasons.add(
        String.format(Locale.ROOT, "name %.2f", score)
            + (pairs.isEmpty() ? "" : " (" + String.join(", ", pairs) + ")")
            + (unmatched.isEmpty() ? "" : " unmatched: " + String.join(", ", unmatched)));
    return score;
  }

  /** Exact words first, so that a typo'd word cannot take the partner of an exact one. */
  private static List<String> greedyOrder(List<String> shorter, List<String> longer) {
    List<String> out = new ArrayList<>();
    for (String w : shorter) {
      if (longer.contains(w)) {
        out.add(w);
      }
    }
    for (String w : shorter) {
      if (!longer.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  static double birthDate(LocalDate a, LocalDate b, List<String> reasons) {
    if (a == null || b == null) {
      reasons.add("birth date missing");
      return 0;
    }
    if (a.equals(b)) {
      reasons.add("birth date exact");
      return 1;
    }
    if (swapped(a).map(b::equals).orElse(false)) {
      reasons.add("birth date day and month swapped");
      return 0.8;
    }
    if (oneDigitApart(a, b)) {
      reasons.add("birth date one digit apart");
      return 0.7;
    }
    reasons.add("birth date differs");
    return 0;
  }

  /** The date with day and month exchanged, when that is another valid date. */
  static java.util.Optional<LocalDate> swapped(LocalDate d) {
    if (d.getDayOfMonth() > 12 || d.getDayOfMonth() == d.getMonthValue()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()));
    } catch (DateTimeException e) {
      return java.util.Optional.empty();
    }
  }

  static boolean oneDigitApart(LocalDate a, LocalDate b) {
    String x = digits(a);
    String y = digits(b);
    int differ = 0;
    for (int i = 0; i < x.length(); i++) {
      if (x.charAt(i) != y.charAt(i)) {
        differ++;
      }
    }
    return differ == 1;
  }

  static String digits(LocalDate d) {
    return String.format(
        Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  static double sex(String a, String b, List<String> reasons) {
    boolean aKnown = a != null && (a.equals("male") || a.equals("female"));
    boolean bKnown = b != null && (b.equals("male") || b.equals("female"));
    if (!aKnown || !bKnown) {
      reasons.add("sex unknown");
      return 0.5;
    }
    if (a.equals(b)) {
      reasons.add("sex same");
      return 1;
    }
    reasons.add("sex differs");
    return 0;
  }
}
