package io.ponte.hub.identity;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which known patients a new one is scored against, so that matching never scans the whole index:
 * those born on the same date or with day and month swapped (any name: names are what the scorer
 * judges), and those born on a date one digit away whose folded name starts like one of the new
 * patient's words (a birth-date typo and a different name together are not a match worth a look).
 * Both sides are indexed columns ({@code patient.birth_date}); a patient without a birth date is
 * not matched by score. {@link PatientMatcher} asks PostgreSQL exactly this; the quality test asks
 * it of an in-memory index.
 */
public record MatchBlocking(Set<LocalDate> close, Set<LocalDate> variants, Set<String> prefixes) {

  /** Null when the patient has no birth date. */
  public static MatchBlocking of(Demographics d) {
    if (d.birthDate() == null) {
      return null;
    }
    Set<LocalDate> close = new LinkedHashSet<>();
    close.add(d.birthDate());
    MatchScorer.swapped(d.birthDate()).ifPresent(close::add);
    Set<LocalDate> variants = new LinkedHashSet<>();
    char[] digits = MatchScorer.digits(d.birthDate()).toCharArray();
    for (int i = 0; i < digits.length; i++) {
      char original = digits[i];
      for (char c = '0'; c <= '9'; c++) {
        if (c != original) {
          digits[i] = c;
          parse(digits).filter(v -> !close.contains(v)).ifPresent(variants::add);
        }
      }
      digits[i] = original;
    }
    Set<String> prefixes = new LinkedHashSet<>();
    for (String word : NameTokens.of(d.family(), d.given())) {
      prefixes.add(prefix(word));
    }
    return new MatchBlocking(close, variants, prefixes);
  }

  /** Whether a known patient with this birth date and folded name key is a candidate. */
  public boolean admits(LocalDate birthDate, String nameSearch) {
    if (birthDate == null) {
      return false;
    }
    return close.contains(birthDate)
        || (variants.contains(birthDate) && prefixes.contains(prefix(nameSearch)));
  }

  /** The first two characters of a folded name key or word (what the SQL compares). */
  static String prefix(String folded) {
    return folded.length() <= 2 ? folded : folded.substring(0, 2);
  }

  /** The date these eight digits (yyyyMMdd) spell, if any; no exceptions on this hot path. */
  private static java.util.Optional<LocalDate> parse(char[] d) {
    int year = number(d, 0, 4);
    int month = number(d, 4, 6);
    int day = number(d, 6, 8);
    if (year < 1850 || month < 1 || month > 12 || day < 1) {
      return java.util.Optional.empty();
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(LocalDate.of(year, month, day));
  }

  private static int number(char[] d, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (d[i] - '0');
    }
    return n;
  }
}
