package io.ponte.hub.send;

import io.ponte.hub.dimse.HubDimseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Where each organisation's clinicians may send: its one configured PACS ({@link SendConfig}), the
 * address taken from the organisation's own DIMSE C-MOVE destinations when not given.
 */
@ApplicationScoped
public class SendDestinations {

  /** A clinic's PACS, resolved: a storage SCP (aeTitle set), or a STOW-RS endpoint (stow set). */
  public record Target(String name, String aeTitle, String host, int port, SendConfig.Stow stow) {
    public String address() {
      return host + ":" + port;
    }

    public boolean dimse() {
      return aeTitle != null;
    }

    /**
     * As the job and the audit name it. Words of no language (the pages show it in Portuguese and
     * English alike): the name, the protocol and the address.
     */
    public String describe() {
      return dimse()
          ? name + " (DIMSE C-STORE → " + aeTitle + " @ " + address() + ")"
          : name + " (DICOMweb STOW-RS → " + stow.url() + ")";
    }
  }

  @Inject SendConfig config;

  @Inject HubDimseConfig dimse;

  /** The organisation's PACS, or empty when it has none (or its address is nowhere). */
  public Optional<Target> of(String organisation) {
    SendConfig.Destination d =
        organisation == null ? null : config.destinations().get(organisation);
    if (d == null) {
      return Optional.empty();
    }
    if (d.dimse().isEmpty()) {
      return d.stow().map(s -> new Target(d.name().orElse(s.url().toString()), null, null, 0, s));
    }
    String ae = d.dimse().get().aeTitle();
    return d.dimse()
        .get()
        .address()
        .or(() -> moveDestination(organisation, ae))
        .map(
            address -> {
              int colon = address.lastIndexOf(':');
              return new Target(
                  d.name().orElse(ae),
                  ae,
                  address.substring(0, colon).trim(),
                  Integer.parseInt(address.substring(colon + 1).trim()),
                  null);
            });
  }

  /** The same AE title among the C-MOVE destinations of the organisation's own DIMSE callers. */
  private Optional<String> moveDestination(String organisation, String ae) {
    return dimse.callers().values().stream()
        .filter(c -> organisation.equals(c.organisation()))
        .map(c -> c.destinations().get(ae))
        .filter(a -> a != null && a.contains(":"))
        .findFirst();
  }
}
