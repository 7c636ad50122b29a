package io.ponte.testing;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Certificates made at test time, and the prod overlay's own properties files pointed at them: the
 * TLS between Ponte's processes is tested with the settings an operator deploys, not with copies.
 */
public final class TestCertificates {

  private TestCertificates() {}

  /** A certificate and its private key as PEM files, as a kubernetes.io/tls Secret holds them. */
  public record Pem(Path certificate, Path key) {}

  /**
   * keytool: a self-signed EC key pair valid for two days whose only name is the address {@code
   * 127.0.0.1} (so {@code localhost} is a host it does not name), written to {@code dir} as {@code
   * <name>.pem} and {@code <name>.key}. Self-signed, it is its own CA: a trust store holding it
   * stands for the cluster's internal CA.
   */
  public static Pem selfSigned(Path dir, String name) {
    Path keyStore = dir.resolve(name + ".p12");
    Path certificate = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    try {
      Files.createDirectories(dir);
      DicomTestFiles.run(
          keytool,
          "-genkeypair",
          "-alias",
          name,
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=ponte-" + name + "-test",
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
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStore)) {
        store.load(in, "changeit".toCharArray());
      }
      Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate(name).getEncoded()));
      Files.writeString(
          key, pem("PRIVATE KEY", store.getKey(name, "changeit".toCharArray()).getEncoded()));
      return new Pem(certificate.toAbsolutePath(), key.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies {@code k8s/overlays/prod/<file>} to {@code target} with each of {@code replacements} (a
   * mounted path, a port) replaced; each must occur in the file, so that a change to the overlay
   * that a test no longer follows fails here rather than testing something else.
   */
  public static Path prodProperties(String file, Path target, Map<String, String> replacements) {
    try {
      String prod = Files.readString(Paths.get("k8s", "overlays", "prod", file));
      for (Map.Entry<String, String> r : replacements.entrySet()) {
        assertThat(prod).as(file).contains(r.getKey());
        prod = prod.replace(r.getKey(), r.getValue());
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, prod);
      return target.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #prodProperties} for a file that serves HTTPS and trusts the internal CA (the hub's
   * hub-federation.properties, a node's node-tls.properties): {@code own} on {@code tlsPort} in
   * place of the mounted Secret and port 8443, and {@code ca} as the internal CA.
   */
  public static Path prodTlsProperties(String file, Path target, Pem own, int tlsPort, Pem ca) {
    return prodProperties(
        file,
        target,
        Map.of(
            "/etc/ponte/tls/tls.crt", own.certificate().toString(),
            "/etc/ponte/tls/tls.key", own.key().toString(),
            "=8443", "=" + tlsPort,
            "/etc/ponte/internal-ca/ca.crt", ca.certificate().toString()));
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
}
