package io.ponte.role;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Says on {@code /q/health} which role (and, for a node, which site) this process is. */
@Liveness
@Readiness
@ApplicationScoped
public class RoleHealthCheck implements HealthCheck {

  @Inject PonteConfig config;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder =
        HealthCheckResponse.named("ponte-role")
            .withData("role", config.role().name().toLowerCase(java.util.Locale.ROOT));
    config.site().ifPresent(site -> builder.withData("site", site));
    boolean consistent = config.isHub() || config.site().isPresent();
    if (!consistent) {
      builder.withData("problem", "a node needs ponte.site");
    }
    return builder.status(consistent).build();
  }
}
