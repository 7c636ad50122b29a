package io.ponte.hub.dicomweb;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the hub talks to the nodes it federates (WADO-RS proxy). */
@ConfigMapping(prefix = "ponte.hub.federation")
public interface FederationConfig {

  /**
   * Each site's node base URL ({@code
   * ponte.hub.federation.node-url.hospital-a=http://node-a:8080}); {@code /dicomweb/...} is
   * appended. Private: nothing the hub hands out ever names these addresses. Sites themselves (ids,
   * names) are the registry's {@code ponte.hub.sites}.
   */
  Map<String, URI> nodeUrl();

  default Optional<URI> nodeUrl(String site) {
    return Optional.ofNullable(nodeUrl().get(site));
  }

  /**
   * The TLS configuration ({@code quarkus.tls.<name>.trust-store.*}) that verifies the nodes'
   * certificates where a node URL is {@code https}: a cluster's private CA, say. Unset: the JVM's
   * trust store. Either way the certificate must name the URL's host; a configuration that trusts
   * all is refused at start-up, since the hub sends its service token, which reads every node's
   * images, to whoever answers.
   */
  Optional<String> tlsConfigurationName();

  /** A node that does not accept a TCP connection within this time is treated as down (503). */
  @WithDefault("2s")
  Duration connectTimeout();

  /**
   * Longest silence tolerated from a node, before its first byte and between chunks of a body; past
   * it the hub answers 504 (or aborts a body already under way). Long enough for a cold cache read
   * from Blob.
   */
  @WithDefault("30s")
  Duration readTimeout();

  /**
   * Connections per node for each of the hub's node clients: one per event loop, one for its DIMSE
   * associations (NodeClient). With the event loops' count (twice the cores by default) this bounds
   * what one busy site can take from the hub.
   */
  @WithDefault("32")
  int maxConnectionsPerSite();

  /** Studies per QIDO-RS page when the client gives no limit (OHIF asks for 101). */
  @WithDefault("100")
  int qidoDefaultLimit();

  /** Largest QIDO-RS page; bigger limits are capped with a Warning header. */
  @WithDefault("1000")
  int qidoMaxLimit();

  /** Bytes buffered per proxied body before the node's connection is paused (backpressure). */
  @WithDefault("1048576")
  int bufferBytes();
}
