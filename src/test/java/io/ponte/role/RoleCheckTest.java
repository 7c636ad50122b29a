package io.ponte.role;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Code asks which role runs through PonteConfig.isHub()/isNode(), never by comparing role(). */
class RoleCheckTest {

  private static PonteConfig running(Role role) {
    return new PonteConfig() {
      @Override
      public Role role() {
        return role;
      }

      @Override
      public Optional<String> site() {
        return Optional.empty();
      }

      @Override
      public String publicUrl() {
        return "http://localhost";
      }
    };
  }

  @Test
  void exactlyOneRoleRuns() {
    assertThat(running(Role.HUB).isHub()).isTrue();
    assertThat(running(Role.HUB).isNode()).isFalse();
    assertThat(running(Role.NODE).isNode()).isTrue();
    assertThat(running(Role.NODE).isHub()).isFalse();
  }
}
