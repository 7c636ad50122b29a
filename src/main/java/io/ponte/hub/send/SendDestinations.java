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

  /**
   * A clinic's PACS, resolved: a storage SCP (aeTitle set), or a STOW-RS endpoint (stow set).
   * {@code displayName} is the configured name a clinician reads (null when none is configured: the
   * pages then say "your clinic's PACS" in their language, never an AE title as a name).
   */
  public record Target(
      String displayName, String aeTitle, String host, int port, SendConfig.Stow stow) {
    public String address() {
      return host + ":" + port;
    }

    public boolean dimse() {
      return aeTitle != null;
    }

    /** The configured name, or the AE title or URL (what the audit and the job name it by). */
    public String name() {
      return displayName != null ? displayName : dimse() ? aeTitle : stow.url().toString();
    }

    /**
     * The protocol and address, for the clinic's IT (the pages show it as small print under the
     * name): words of no language.
     */
    public String technical() {
      return dimse()
          ? "DIMSE C-STORE → " + aeTitle + " @ " + address()
          : "DICOMweb STOW-RS → " + stow.url();
    }

    /**
     * As the job and the audit name it. Words of no language (the pages show it in Portuguese and
     * English alike): the name, the protocol and the address.
     */
    public String describe() {
      return name() + " (" + technical() + ")";
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
      return d.stow().map(s -> new Target(displayName(d), null, null, 0, s));
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
                  displayName(d),
                  ae,
                  address.substring(0, colon).trim(),
                  Integer.parseInt(address.substring(colon + 1).trim()),
                  null);
            });
  }

  /** The configured name, null when blank or absent. */
  private static String displayName(SendConfig.Destination d) {
    return d.name().map(String::strip).filter(n -> !n.isEmpty()).orElse(null);
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
