package io.ponte.node.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's DICOM listener (Storage and Verification SCP). See
 * docs/conformance/dicom-conformance.md.
 */
@ConfigMapping(prefix = "ponte.node.dimse")
public interface DimseConfig {

  /** Off only where a node must not take DIMSE traffic (and in tests that do not ask for it). */
  @WithDefault("true")
  boolean enabled();

  /** The called AE title modalities and PACS must use; anything else is rejected. */
  @WithDefault("PONTE")
  String aeTitle();

  /** 11112 is the registered DICOM port that needs no privileges; 0 picks a free one (tests). */
  @WithDefault("11112")
  int port();

  /**
   * Loopback by default, so a developer machine does not expose an unauthenticated port; 0.0.0.0 in
   * k8s.
   */
  @WithDefault("127.0.0.1")
  String bindAddress();

  /** Concurrent associations; one more is rejected transiently (the SCU retries later). */
  @WithDefault("16")
  int maxAssociations();

  /**
   * Largest P-DATA-TF PDU we accept; 128 KiB keeps per-association memory small and syscalls few.
   */
  @WithDefault("131072")
  int maxPduLength();

  /** Storage SOP classes accepted (Verification is always accepted). */
  @WithDefault(StorageSopClasses.DEFAULT)
  List<String> sopClasses();

  /**
   * Transfer syntaxes accepted, in our order of preference: compressed ones first so that what a
   * modality compressed is kept as sent (the node never transcodes), then explicit before implicit
   * VR.
   */
  @WithDefault(StorageSopClasses.DEFAULT_TRANSFER_SYNTAXES)
  List<String> transferSyntaxes();

  /**
   * When set, only these calling AE titles may associate (a hospital's known modalities and PACS).
   */
  Optional<List<String>> allowedCallingAeTitles();

  /**
   * Calling AE titles bound to the addresses they may associate from, each an IP address or CIDR
   * range ({@code ponte.node.dimse.calling-addresses."CT_1"=10.1.2.7,10.1.3.0/24}): the same title
   * from anywhere else is refused as unknown, so a device cannot pass itself off as another. A
   * title not listed is not bound.
   */
  Map<String, List<String>> callingAddresses();

  /**
   * ARTIM: time for a new connection to send its A-ASSOCIATE-RQ, and to close after a release or
   * reject.
   */
  @WithDefault("10s")
  Duration requestTimeout();

  /**
   * An association silent for this long is aborted, so a stuck modality cannot hold a slot forever.
   */
  @WithDefault("60s")
  Duration idleTimeout();

  /**
   * On shutdown, running associations get this long to finish before their connections are closed.
   */
  @WithDefault("10s")
  Duration shutdownGrace();
}
