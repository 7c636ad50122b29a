package io.ponte.hub.dicomweb;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.PonteProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.UUID;

/**
 * A real hospital-a node process serving HTTPS with a certificate made for this run (keytool: a
 * self-signed key pair naming only the address 127.0.0.1), and the hub under test told to trust
 * that certificate through a named TLS configuration. hospital-b's URL reaches the same node as
 * {@code https://localhost:…}, a host the certificate does not name.
 */
public class TlsNodeResource implements QuarkusTestResourceLifecycleManager {

  static volatile PonteProcess node;

  @Override
  public Map<String, String> start() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dir = Paths.get("target", "node-tls-" + run).toAbsolutePath();
    Path keyStore = dir.resolve("node.p12");
    Path certificate = dir.resolve("node.pem");
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    try {
      Files.createDirectories(dir);
      DicomTestFiles.run(
          keytool,
          "-genkeypair",
          "-alias",
          "node",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=ponte-node-test",
          "-ext",
          "SAN=ip:127.0.0.1",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          keyStore.toString(),
          "-storepass",
          "changeit");
      DicomTestFiles.run(
          keytool,
          "-exportcert",
          "-rfc",
          "-alias",
          "node",
          "-keystore",
          keyStore.toString(),
          "-storepass",
          "changeit",
          "-file",
          certificate.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int tlsPort = PonteProcess.Builder.freePort();
    node =
        PonteProcess.node("hospital-a", "ponte_node_it")
            .property("ponte.node.storage.cache-dir", "target/it-node-cache-" + run)
            .property("ponte.node.storage.blob-container", "ponte-it-" + run)
            .property("quarkus.tls.key-store.p12.path", keyStore.toString())
            .property("quarkus.tls.key-store.p12.password", "changeit")
            .property("quarkus.http.ssl-port", Integer.toString(tlsPort))
            .start();
    return Map.of(
        "ponte.hub.federation.node-url.hospital-a",
        "https://127.0.0.1:" + tlsPort,
        "ponte.hub.federation.node-url.hospital-b",
        "https://localhost:" + tlsPort,
        "ponte.hub.federation.tls-configuration-name",
        "nodes",
        "quarkus.tls.nodes.trust-store.pem.certs",
        certificate.toString());
  }

  @Override
  public void stop() {
    if (node != null) {
      node.close();
    }
  }
}
