package io.ponte.hub.dimse;

import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.AssociateReject;
import io.ponte.dicom.net.AssociateRequest;
import io.ponte.dicom.net.AssociationMonitor;
import io.ponte.dicom.net.CallerAddresses;
import io.ponte.dicom.net.DicomServer;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Opens the hub's DIMSE listener (hub role only): Verification, and Find/Move/Get of the Patient
 * Root and Study Root models, for the calling AE titles mapped in {@code ponte.hub.dimse.callers};
 * any other calling AE title is rejected at association (A-ASSOCIATE-RJ, calling AE title not
 * recognised). With no caller mapped it does not listen at all.
 */
@ApplicationScoped
public class HubDimseListener {

  private static final Logger LOG = Logger.getLogger(HubDimseListener.class);

  @Inject PonteConfig ponte;

  @Inject HubDimseConfig config;

  @Inject HubQueryRetrieve handler;

  @Inject MeterRegistry meters;

  private DicomServer server;

  /** Each caller's addresses, for those that name some. */
  private Map<String, List<String>> addresses() {
    Map<String, List<String>> byTitle = new java.util.LinkedHashMap<>();
    config
        .callers()
        .forEach((title, caller) -> caller.addresses().ifPresent(a -> byTitle.put(title, a)));
    return byTitle;
  }

  void onStart(@Observes StartupEvent event) {
    if (!ponte.isHub() || !config.enabled()) {
      return;
    }
    if (config.callers().isEmpty()) {
      LOG.info("DIMSE query/retrieve not started: no calling AE title is mapped");
      return;
    }
    Set<String> sopClasses = new LinkedHashSet<>();
    for (QueryModel m : QueryModel.values()) {
      sopClasses.addAll(List.of(m.find, m.move, m.get));
    }
    AcceptorConfig acceptor =
        new AcceptorConfig(
                config.aeTitle(),
                sopClasses,
                List.of(
                    AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
                    AcceptorConfig.IMPLICIT_VR_LITTLE_ENDIAN),
                config.callers().keySet(),
                config.maxPduLength(),
                config.maxAssociations(),
                config.requestTimeout(),
                config.idleTimeout())
            .withStorageScpRole(true)
            .withCallerAddresses(CallerAddresses.of(addresses()));
    server = new DicomServer(acceptor, null, handler, new Metrics());
    try {
      server.start(InetAddress.getByName(config.bindAddress()), config.port());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the hub's DICOM listener on " + config.bindAddress() + ":" + config.port(),
          e);
    }
    LOG.infof(
        "DICOM Query/Retrieve SCP %s listening on %s:%d for %s",
        config.aeTitle(), config.bindAddress(), server.port(), config.callers().keySet());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.stop(config.shutdownGrace());
      server = null;
    }
  }

  /** The port listened on, or -1 when not listening. */
  public int port() {
    return server != null && server.isListening() ? server.port() : -1;
  }

  private final class Metrics implements AssociationMonitor {

    @Override
    public void accepted(AssociateRequest rq, String remoteAddress) {
      meters.counter("ponte.hub.dimse.associations", "outcome", "accepted").increment();
    }

    @Override
    public void rejected(AssociateRequest rq, AssociateReject rj, String remoteAddress) {
      meters.counter("ponte.hub.dimse.associations", "outcome", "rejected").increment();
      LOG.infof(
          "association from %s (%s calling %s) rejected: %s",
          remoteAddress, rq.callingAeTitle(), rq.calledAeTitle(), rj);
    }

    @Override
    public void aborted(String remoteAddress, String reason) {
      meters.counter("ponte.hub.dimse.associations", "outcome", "aborted").increment();
    }
  }
}
