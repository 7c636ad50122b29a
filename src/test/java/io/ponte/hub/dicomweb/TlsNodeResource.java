package io.ponte.hub.dicomweb;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.UUID;

/**
 * A real hospital-a node process serving HTTPS with a certificate made for this run (a self-signed
 * key pair naming only the address 127.0.0.1), configured by the prod overlay's
 * node-tls.properties, and the hub under test told to trust that certificate through a named TLS
 * configuration, as the overlay's hub-federation.properties does. hospital-b's URL reaches the same
 * node as {@code https://localhost:…}, a host the certificate does not name.
 */
public class TlsNodeResource implements QuarkusTestResourceLifecycleManager {

  static volatile PonteProcess node;

  @Override
  public Map<String, String> start() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dir = Paths.get("target", "node-tls-" + run).toAbsolutePath();
    TestCertificates.Pem certificate = TestCertificates.selfSigned(dir, "node");
    int tlsPort = FreePorts.next();
    // Its own certificate as the CA it would verify a hub with (it publishes to no hub over TLS).
    Path config =
        TestCertificates.prodTlsProperties(
            "node-tls.properties",
            dir.resolve("node-tls.properties"),
            certificate,
            tlsPort,
            certificate);
    node =
        PonteProcess.node("hospital-a", "ponte_node_it")
            .property("ponte.node.storage.cache-dir", "target/it-node-cache-" + run)
            .property("ponte.node.storage.blob-container", "ponte-it-" + run)
            // The prod overlay's own file, as its nodes read it, but for the paths and the port.
            .env("QUARKUS_CONFIG_LOCATIONS", config.toString())
            // Kept open here (the file closes it) for start()'s readiness wait and the STOW-RS.
            .property("quarkus.http.insecure-requests", "enabled")
            // The file names a trust for the hub, so the hub URL must be https; this test
            // publishes to the hub itself (HubFhir), so the node's publisher stays off.
            .env("PONTE_HUB_URL", "https://127.0.0.1:9")
            .property("ponte.node.publish.enabled", "false")
            .start();
    return Map.of(
        "ponte.hub.federation.node-url.hospital-a",
        "https://127.0.0.1:" + tlsPort,
        "ponte.hub.federation.node-url.hospital-b",
        "https://localhost:" + tlsPort,
        "ponte.hub.federation.tls-configuration-name",
        "nodes",
        "quarkus.tls.nodes.trust-store.pem.certs",
        certificate.certificate().toString());
  }

  @Override
  public void stop() {
    if (node != null) {
      node.close();
    }
  }
}
