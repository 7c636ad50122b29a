package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.PonteProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A real hospital-a node process serving HTTPS with a certificate made for this run (keytool: a
 * self-signed key pair naming only the address 127.0.0.1), configured by the prod overlay's
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
    Path keyStore = dir.resolve("node.p12");
    Path certificate = dir.resolve("node.pem");
    Path key = dir.resolve("node.key");
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
      // PEM files, as a kubernetes.io/tls Secret holds them
      // (k8s/overlays/prod/node-tls-patch.yaml).
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStore)) {
        store.load(in, "changeit".toCharArray());
      }
      Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate("node").getEncoded()));
      Files.writeString(
          key, pem("PRIVATE KEY", store.getKey("node", "changeit".toCharArray()).getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int tlsPort = PonteProcess.Builder.freePort();
    Path config = dir.resolve("node-tls.properties");
    try {
      String prod = Files.readString(Paths.get("k8s/overlays/prod/node-tls.properties"));
      assertThat(prod).contains("/etc/ponte/tls/tls.crt", "/etc/ponte/tls/tls.key", "=8443");
      Files.writeString(
          config,
          prod.replace("/etc/ponte/tls/tls.crt", certificate.toString())
              .replace("/etc/ponte/tls/tls.key", key.toString())
              .replace("=8443", "=" + tlsPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node =
        PonteProcess.node("hospital-a", "ponte_node_it")
            .property("ponte.node.storage.cache-dir", "target/it-node-cache-" + run)
            .property("ponte.node.storage.blob-container", "ponte-it-" + run)
            // The prod overlay's own file, as its nodes read it, but for the paths and the port.
            .env("QUARKUS_CONFIG_LOCATIONS", config.toString())
            // Kept open here (the file closes it) for start()'s readiness wait and the STOW-RS.
            .property("quarkus.http.insecure-requests", "enabled")
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

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Override
  public void stop() {
    if (node != null) {
      node.close();
    }
  }
}
