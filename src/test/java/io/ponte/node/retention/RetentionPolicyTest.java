package io.ponte.node.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy alone: rules in order, the longer period when undecided, StudyDate or arrival. */
class RetentionPolicyTest {

  static RetentionConfig.Rule rule(
      String tag, List<String> values, Boolean present, RetentionClass cls) {
    return new RetentionConfig.Rule() {
      public String attribute() {
        return tag;
      }

      public Optional<List<String>> values() {
        return Optional.ofNullable(values);
      }

      public Optional<Boolean> present() {
        return Optional.ofNullable(present);
      }

      public RetentionClass retentionClass() {
        return cls;
      }
    };
  }

  static RetentionPolicy policy(RetentionConfig.Rule... rules) {
    RetentionPolicy p = new RetentionPolicy();
    p.config =
        new RetentionConfig() {
          public int outpatientYears() {
            return 15;
          }

          public int inpatientYears() {
            return 30;
          }

          public Optional<List<RetentionConfig.Rule>> rules() {
            return Optional.of(List.of(rules));
          }

          public Duration interval() {
            return Duration.ofHours(1);
          }

          public int batchSize() {
            return 10;
          }
        };
    return p;
  }

  static final int ADMISSION_ID = 0x00380010;
  static final int LOCATION = 0x00380300;
  static final Instant ARRIVED = Instant.parse("2026-03-04T23:30:00Z");

  final RetentionPolicy policy =
      policy(
          rule("(0038,0010)", null, true, RetentionClass.INPATIENT),
          rule(
              "00380300",
              List.of("Outpatient", "CONSULTA EXTERNA"),
              null,
              RetentionClass.OUTPATIENT));

  @Test
  void theFirstMatchingRuleDecides() {
    var both =
        policy.decide(Map.of(ADMISSION_ID, "A1", LOCATION, "outpatient")::get, "20100101", ARRIVED);
    assertThat(both.retentionClass()).isEqualTo("INPATIENT");
    assertThat(both.endsOn()).isEqualTo(LocalDate.of(2040, 1, 1));
    var out = policy.decide(Map.of(LOCATION, " consulta externa ")::get, "20100101", ARRIVED);
    assertThat(out.retentionClass()).isEqualTo("OUTPATIENT");
    assertThat(out.endsOn()).isEqualTo(LocalDate.of(2025, 1, 1));
  }

  @Test
  void undecidedIsKeptTheLongerPeriod() {
    var d = policy.decide(Map.of(LOCATION, "ER")::get, "20100101", ARRIVED);
    assertThat(d.retentionClass()).isEqualTo("UNDECIDED");
    assertThat(d.endsOn()).isEqualTo(LocalDate.of(2040, 1, 1));
    // an empty Admission ID is not an admission
    assertThat(policy.decide(Map.of(ADMISSION_ID, " ")::get, "20100101", ARRIVED).retentionClass())
        .isEqualTo("UNDECIDED");
  }

  @Test
  void withoutAValidStudyDateTheEndCountsFromArrivalInUtc() {
    for (String bad : new String[] {null, "", "2010", "20101301", "00010101", "2010-01-01"}) {
      assertThat(policy.decide(Map.<Integer, String>of()::get, bad, ARRIVED).endsOn())
          .as("StudyDate %s", bad)
          .isEqualTo(LocalDate.of(2056, 3, 4));
    }
  }

  @Test
  void aWrongRuleIsRefusedNamingIt() {
    assertThatThrownBy(() -> policy(rule("0038,00", null, true, RetentionClass.INPATIENT)).rules())
        .hasMessageContaining("rules[0].attribute");
    assertThatThrownBy(
            () -> policy(rule("00380010", List.of("x"), true, RetentionClass.INPATIENT)).rules())
        .hasMessageContaining("either values or present");
    assertThatThrownBy(() -> policy(rule("00380010", null, true, RetentionClass.UNDECIDED)).rules())
        .hasMessageContaining("OUTPATIENT or INPATIENT");
  }
}
