package io.ponte.node.ingest;

import io.ponte.dicom.DicomReadLimits;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Applies {@link IngestConfig} as the process-wide {@link DicomReadLimits} before the DIMSE
 * listener or the HTTP server takes an instance: the node's store parses every header with the
 * codec's default limits, so one setting bounds C-STORE, STOW-RS and the reads that serve them
 * back.
 */
@ApplicationScoped
public class IngestLimits {

  private static final Logger LOG = Logger.getLogger(IngestLimits.class);

  @Inject PonteConfig ponte;
  @Inject IngestConfig config;

  void apply(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (!ponte.isNode()) {
      return;
    }
    DicomReadLimits limits = limits(config);
    DicomReadLimits.setDefaults(limits);
    LOG.infof(
        "ingest limits: %d bytes per non-pixel value, %d per header",
        limits.maxValueBytes(), limits.maxHeaderBytes());
  }

  static DicomReadLimits limits(IngestConfig config) {
    return new DicomReadLimits(config.maxElementBytes(), config.maxHeaderBytes());
  }
}
