package io.ponte.hub.web.authority;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The identity review shows its numbers and dates as the page's language writes them. */
class IdentityReviewNumbersTest {

  static final Locale PT = Locale.forLanguageTag("pt");

  @Test
  void aScoreHasTheLanguagesDecimalSeparator() {
    assertThat(IdentityReviewPages.score(0.95, PT)).isEqualTo("0,95");
    assertThat(IdentityReviewPages.score(0.95, Locale.ENGLISH)).isEqualTo("0.95");
  }

  @Test
  void aBirthDateIsWrittenAsTheOtherDatesNotIso() {
    LocalDate born = LocalDate.of(1970, 5, 11);
    assertThat(IdentityReviewPages.birthDate(born, PT)).isNotEqualTo("1970-05-11").contains("1970");
    assertThat(IdentityReviewPages.birthDate(born, Locale.ENGLISH)).isEqualTo("May 11, 1970");
  }
}
