package io.ponte.hub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.ponte.role.PonteConfig;
import io.ponte.role.Role;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class FhirValidatorReadinessCheckTest {

  private static PonteConfig role(Role role) {
    return new PonteConfig() {
      @Override
      public Role role() {
        return role;
      }

      @Override
      public Optional<String> site() {
        return role == Role.NODE ? Optional.of("hospital-a") : Optional.empty();
      }

      @Override
      public String publicUrl() {
        return "http://localhost:8080";
      }
    };
  }

  private static FhirValidatorReadinessCheck check(Role role, FhirContext context) {
    FhirValidation validation = new FhirValidation();
    validation.context = context;
    validation.ponte = role(role);
    FhirValidatorReadinessCheck check = new FhirValidatorReadinessCheck();
    check.ponte = validation.ponte;
    check.validation = validation;
    return check;
  }

  @Test
  void aHubIsDownUntilTheValidatorHasWarmedUpAndUpAfter() {
    FhirValidatorReadinessCheck check = check(Role.HUB, FhirContext.forR4Cached());

    HealthCheckResponse before = check.call();
    assertThat(before.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(before.getData().orElseThrow()).containsEntry("validator", "warming up");

    check.validation.warm();

    HealthCheckResponse after = check.call();
    assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(after.getData().orElseThrow()).containsEntry("validator", "warm");
  }

  @Test
  void aHubWhoseValidatorCannotLoadStaysDownAndSaysWhy() {
    FhirValidatorReadinessCheck check = check(Role.HUB, null);

    assertThatThrownBy(check.validation::warm).isInstanceOf(RuntimeException.class);

    HealthCheckResponse response = check.call();
    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(response.getData().orElseThrow().get("validator").toString())
        .startsWith("failed to load: ");
  }

  @Test
  void aNodeDoesNotWaitForAValidatorItNeverUses() {
    FhirValidatorReadinessCheck check = check(Role.NODE, FhirContext.forR4Cached());

    assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(check.validation.isWarm()).isFalse();
  }
}
