package io.ponte.hub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.error.ProblemException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FHIR date search semantics: the value's precision is a range, the prefix picks a side of it. */
class DateParamTest {

  @Test
  void precisionDefinesTheRange() {
    DateParam year = DateParam.parse("2024");
    assertThat(year.low()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(year.high()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    DateParam month = DateParam.parse("ge2024-02");
    assertThat(month.high()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    DateParam day = DateParam.parse("le2024-02-29");
    assertThat(day.high()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    DateParam second = DateParam.parse("eq2024-02-29T10:00:00+01:00");
    assertThat(second.low()).isEqualTo(Instant.parse("2024-02-29T09:00:00Z"));
    assertThat(second.high()).isEqualTo(Instant.parse("2024-02-29T09:00:01Z"));
  }

  @Test
  void prefixesSelectTheRightSideOfTheRange() {
    Instant inside = Instant.parse("2024-03-05T12:00:00Z");
    Instant before = Instant.parse("2024-03-04T23:59:59Z");
    Instant after = Instant.parse("2024-03-06T00:00:00Z");
    assertThat(DateParam.parse("eq2024-03-05").matches(inside)).isTrue();
    assertThat(DateParam.parse("eq2024-03-05").matches(after)).isFalse();
    assertThat(DateParam.parse("gt2024-03-05").matches(inside)).isFalse();
    assertThat(DateParam.parse("gt2024-03-05").matches(after)).isTrue();
    assertThat(DateParam.parse("ge2024-03-05").matches(inside)).isTrue();
    assertThat(DateParam.parse("ge2024-03-05").matches(before)).isFalse();
    assertThat(DateParam.parse("lt2024-03-05").matches(before)).isTrue();
    assertThat(DateParam.parse("lt2024-03-05").matches(inside)).isFalse();
    assertThat(DateParam.parse("le2024-03-05").matches(inside)).isTrue();
    assertThat(DateParam.parse("le2024-03-05").matches(after)).isFalse();
  }

  /**
   * The SQL bounds and the in-memory rule agree on random instants around random days (seeded,
   * bounded).
   */
  @Test
  void sqlBoundsAgreeWithTheRuleOnRandomInstants() {
    Random random = new Random(20240305L);
    for (int i = 0; i < 2000; i++) {
      Instant day =
          Instant.parse("2020-01-01T00:00:00Z").plus(random.nextInt(2000), ChronoUnit.DAYS);
      String prefix = List.of("eq", "gt", "lt", "ge", "le").get(random.nextInt(5));
      DateParam p = DateParam.parse(prefix + day.toString().substring(0, 10));
      Instant t = day.plusSeconds(random.nextInt(3 * 86400) - 86400);
      Instant[] b = p.bounds();
      boolean sql =
          switch (prefix) {
            case "eq" -> !t.isBefore(b[0]) && t.isBefore(b[1]);
            case "gt", "ge" -> !t.isBefore(b[0]);
            default -> t.isBefore(b[0]);
          };
      assertThat(sql).as(prefix + " " + day + " vs " + t).isEqualTo(p.matches(t));
    }
  }

  @Test
  void refusesWhatIsNotAFhirDateOrAnUnsupportedPrefix() {
    for (String bad :
        List.of(
            "yesterday", "2024-13", "2024-02-30", "ne2024", "sa2024", "2024-03-05T10:00", "24")) {
      assertThatThrownBy(() -> DateParam.parse(bad)).as(bad).isInstanceOf(ProblemException.class);
    }
  }
}
