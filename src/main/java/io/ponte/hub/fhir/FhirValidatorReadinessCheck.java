package io.ponte.hub.fhir;

import io.ponte.role.PonteConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * A hub is ready only once its FHIR validator has warmed up: a publish that arrives earlier waits
 * seconds for the core profiles to load and can time out at the node. A node does not validate, so
 * it is always UP here.
 */
@Readiness
@ApplicationScoped
public class FhirValidatorReadinessCheck implements HealthCheck {

  @Inject PonteConfig ponte;

  @Inject FhirValidation validation;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("fhir-validator");
    if (!ponte.isHub()) {
      return builder.up().withData("role", "node: validates nothing").build();
    }
    if (validation.isWarm()) {
      return builder.up().withData("validator", "warm").build();
    }
    return builder
        .down()
        .withData(
            "validator",
            validation
                .warmUpFailure()
                .map(failure -> "failed to load: " + failure)
                .orElse("warming up"))
        .build();
  }
}
