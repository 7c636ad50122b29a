package io.ponte.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerNameTest {

  @Test
  void aNameFitsTheColumnsThatRecordIt() {
    String first = "A".repeat(255);
    String last = "B".repeat(255);
    String name = Caller.capped(first + " " + last);
    assertThat(name).hasSize(Caller.MAX_NAME).startsWith(first);
  }

  @Test
  void aShortNameIsKeptAsItIs() {
    assertThat(Caller.capped("Ana Costa")).isEqualTo("Ana Costa");
  }

  @Test
  void neverCutsACharacterInTwo() {
    String name = "x".repeat(254) + "\uD835\uDD38" + "tail"; // 𝔸 needs two chars
    String capped = Caller.capped(name);
    assertThat(capped).hasSize(254);
    assertThat(Character.isHighSurrogate(capped.charAt(capped.length() - 1))).isFalse();
  }
}
