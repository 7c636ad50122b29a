package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Tokens are checked for signature, sign-in and age, never for being the newest one issued. */
class FormTokenSignerTest {

  static final byte[] KEY = "a-test-key-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);
  static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");

  static FormTokenSigner at(Instant now) {
    return new FormTokenSigner(KEY, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void anOlderTokenOfTheSameSignInIsStillAccepted() {
    String first = at(T0).issue("ana\nsid:1");
    String second = at(T0.plusSeconds(600)).issue("ana\nsid:1");
    assertThat(first).isNotEqualTo(second);
    FormTokenSigner later = at(T0.plusSeconds(700));
    assertThat(later.accepts(first, "ana\nsid:1")).isTrue();
    assertThat(later.accepts(second, "ana\nsid:1")).isTrue();
  }

  @Test
  void anotherSignInsTokenIsRefused() {
    String token = at(T0).issue("ana\nsid:1");
    assertThat(at(T0).accepts(token, "ana\nsid:2")).isFalse();
    assertThat(at(T0).accepts(token, "rui\nsid:1")).isFalse();
    assertThat(at(T0).accepts(token, null)).isFalse();
  }

  @Test
  void anExpiredTokenIsRefusedAtItsMaximumAge() {
    String token = at(T0).issue("ana\nsid:1");
    assertThat(at(T0.plus(Duration.ofHours(12))).accepts(token, "ana\nsid:1")).isTrue();
    assertThat(at(T0.plus(Duration.ofHours(12)).plusSeconds(1)).accepts(token, "ana\nsid:1"))
        .isFalse();
  }

  @Test
  void aForgedMissingOrMalformedTokenIsRefused() {
    String token = at(T0).issue("ana\nsid:1");
    String saltAndMac = token.substring(token.indexOf('.') + 1);
    FormTokenSigner now = at(T0);
    assertThat(now.accepts(token, "ana\nsid:1")).isTrue();
    // the same signature under a later issue time (to outlive the maximum age)
    assertThat(now.accepts((T0.getEpochSecond() + 1) + "." + saltAndMac, "ana\nsid:1")).isFalse();
    // the same signature with another salt
    String[] parts = token.split("\\.");
    assertThat(now.accepts(parts[0] + ".AAAA." + parts[2], "ana\nsid:1")).isFalse();
    // signed with another key
    String other =
        new FormTokenSigner(
                "another-key-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(12),
                Clock.fixed(T0, ZoneOffset.UTC))
            .issue("ana\nsid:1");
    assertThat(now.accepts(other, "ana\nsid:1")).isFalse();
    assertThat(now.accepts(null, "ana\nsid:1")).isFalse();
    assertThat(now.accepts("", "ana\nsid:1")).isFalse();
    assertThat(now.accepts("forged-token-value", "ana\nsid:1")).isFalse();
    assertThat(now.accepts(".x", "ana\nsid:1")).isFalse();
    assertThat(now.accepts("99999999999999999999." + saltAndMac, "ana\nsid:1")).isFalse();
    assertThat(now.accepts(token + ".x", "ana\nsid:1")).isFalse();
    // issued far in the future (beyond clock skew between replicas)
    String future = at(T0.plusSeconds(3600)).issue("ana\nsid:1");
    assertThat(now.accepts(future, "ana\nsid:1")).isFalse();
  }
}
