package io.ponte.hub.dimse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's DIMSE query/retrieve listener: its AE title and port, and the calling AE titles it
 * knows. There is no token in DIMSE: the calling AE title, mapped here to an organisation, is the
 * identity (docs/security.md), so only mapped AE titles may associate.
 */
@ConfigMapping(prefix = "ponte.hub.dimse")
public interface HubDimseConfig {

  /** Listens only when on and at least one caller is mapped (tests turn it on themselves). */
  @WithDefault("true")
  boolean enabled();

  /** The called AE title clinics' workstations and PACS use; any other is rejected. */
  @WithDefault("PONTE_HUB")
  String aeTitle();

  /** 0 picks a free port. */
  @WithDefault("11110")
  int port();

  /** Loopback by default, like the node's listener; 0.0.0.0 where clinics connect. */
  @WithDefault("127.0.0.1")
  String bindAddress();

  @WithDefault("16")
  int maxAssociations();

  @WithDefault("131072")
  int maxPduLength();

  /** ARTIM: time to send the A-ASSOCIATE-RQ, and to close after a release or reject. */
  @WithDefault("10s")
  Duration requestTimeout();

  /** An association silent this long is aborted. */
  @WithDefault("60s")
  Duration idleTimeout();

  /** How long a C-MOVE waits for its destination to connect and to answer each C-STORE. */
  @WithDefault("30s")
  Duration moveTimeout();

  @WithDefault("10s")
  Duration shutdownGrace();

  /**
   * Calling AE title (as sent, case-sensitive; quote it in the key: {@code
   * ponte.hub.dimse.callers."CLINIC_NORTE".organisation}) to what it may do.
   */
  Map<String, Caller> callers();

  /** A clinic's workstation or PACS as the hub knows it. */
  interface Caller {

    /**
     * The organisation (clinic id, as in the users' {@code organization} claim) whose clinicians
     * this AE title stands for: consent is decided and the audit written for it.
     */
    String organisation();

    /**
     * The C-MOVE destinations this caller may name: AE title to {@code host:port}. Any other
     * destination is answered 0xA801 (move destination unknown).
     */
    Map<String, String> destinations();

    /**
     * The addresses this AE title may associate from, each an IP address or CIDR range: from
     * anywhere else it is refused as unknown, so another device cannot act for the clinic by
     * sending its title. Unset: any address (only the network policy limits who connects).
     */
    Optional<List<String>> addresses();
  }

  /**
   * Transfer syntaxes proposed for each SOP class on a C-MOVE's association to its destination, one
   * presentation context each: the instances are sent as stored (no transcoding), so a destination
   * must accept the stored syntax.
   */
  @WithDefault(
      "1.2.840.10008.1.2.1,1.2.840.10008.1.2,1.2.840.10008.1.2.4.50,1.2.840.10008.1.2.4.51,"
          + "1.2.840.10008.1.2.4.57,1.2.840.10008.1.2.4.70,1.2.840.10008.1.2.4.80,"
          + "1.2.840.10008.1.2.4.81,1.2.840.10008.1.2.4.90,1.2.840.10008.1.2.4.91,"
          + "1.2.840.10008.1.2.5,1.2.840.10008.1.2.1.99")
  List<String> moveTransferSyntaxes();
}
