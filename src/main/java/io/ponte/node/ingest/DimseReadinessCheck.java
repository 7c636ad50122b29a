package io.ponte.node.ingest;

import io.ponte.role.PonteConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A node that should take C-STORE is not ready while its DICOM port is closed. */
@Readiness
@ApplicationScoped
public class DimseReadinessCheck implements HealthCheck {

  @Inject PonteConfig ponte;
  @Inject DimseConfig config;
  @Inject DimseListener listener;

  @Override
  public HealthCheckResponse call() {
    boolean expected = ponte.isNode() && config.enabled();
    return HealthCheckResponse.named("ponte-dimse")
        .withData("listening", listener.isListening())
        .withData("port", listener.port())
        .withData("aeTitle", config.aeTitle())
        .status(!expected || listener.isListening())
        .build();
  }
}
