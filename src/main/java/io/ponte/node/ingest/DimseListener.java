package io.ponte.node.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.AssociateReject;
import io.ponte.dicom.net.AssociateRequest;
import io.ponte.dicom.net.AssociationMonitor;
import io.ponte.dicom.net.CallerAddresses;
import io.ponte.dicom.net.DicomServer;
import io.ponte.node.audit.AssociationAudit;
import io.ponte.node.storage.InstanceStore;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens the node's DICOM listener at start-up (node role only: a hub listens to nothing) and closes
 * it on stop, letting running associations finish first. A node that cannot store must not accept:
 * without an {@link InstanceStore} the start fails.
 */
@ApplicationScoped
public class DimseListener {

  private static final Logger LOG = Logger.getLogger(DimseListener.class);

  @Inject PonteConfig ponte;
  @Inject DimseConfig config;
  @Inject Instance<InstanceStore> store;
  @Inject MeterRegistry meters;
  @Inject AssociationAudit audit;

  private DicomServer server;

  void onStart(@Observes StartupEvent event) {
    if (!ponte.isNode() || !config.enabled()) {
      LOG.debugf(
          "DIMSE listener not started (role %s, enabled %s)", ponte.role(), config.enabled());
      return;
    }
    if (!store.isResolvable()) {
      throw new IllegalStateException(
          "ponte.node.dimse is enabled but no InstanceStore is available");
    }
    AcceptorConfig acceptor =
        new AcceptorConfig(
                config.aeTitle(),
                new LinkedHashSet<>(config.sopClasses()),
                config.transferSyntaxes(),
                new LinkedHashSet<>(config.allowedCallingAeTitles().orElse(List.of())),
                config.maxPduLength(),
                config.maxAssociations(),
                config.requestTimeout(),
                config.idleTimeout())
            .withCallerAddresses(CallerAddresses.of(config.callingAddresses()));
    server =
        new DicomServer(acceptor, new DimseStoreHandler(store.get(), meters, audit), new Metrics());
    try {
      server.start(InetAddress.getByName(config.bindAddress()), config.port());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the DICOM listener on " + config.bindAddress() + ":" + config.port(), e);
    }
    LOG.infof(
        "DICOM Storage SCP %s listening on %s:%d",
        config.aeTitle(), config.bindAddress(), server.port());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.stop(config.shutdownGrace());
      server = null;
    }
  }

  /** The port listened on, or -1 when not listening (hub, disabled). */
  public int port() {
    return server != null && server.isListening() ? server.port() : -1;
  }

  public boolean isListening() {
    return server != null && server.isListening();
  }

  /** Metrics and the association audit (one record per association and study). */
  private final class Metrics implements AssociationMonitor {

    @Override
    public void accepted(AssociateRequest rq, String remoteAddress) {
      meters.counter("ponte.dimse.associations", "outcome", "accepted").increment();
      audit.accepted(rq.callingAeTitle(), remoteAddress);
    }

    @Override
    public void rejected(AssociateRequest rq, AssociateReject rj, String remoteAddress) {
      meters.counter("ponte.dimse.associations", "outcome", "rejected").increment();
      LOG.infof(
          "association from %s (%s calling %s) rejected: %s",
          remoteAddress, rq.callingAeTitle(), rq.calledAeTitle(), rj);
      audit.rejected(rq.callingAeTitle(), remoteAddress, String.valueOf(rj));
    }

    @Override
    public void aborted(String remoteAddress, String reason) {
      meters.counter("ponte.dimse.associations", "outcome", "aborted").increment();
      audit.ended(reason);
    }

    @Override
    public void released(String remoteAddress) {
      meters.counter("ponte.dimse.associations", "outcome", "released").increment();
      audit.ended(null);
    }
  }
}
