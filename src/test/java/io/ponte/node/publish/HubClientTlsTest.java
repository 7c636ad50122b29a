package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.role.PonteConfig;
import io.ponte.role.Role;
import io.ponte.testing.FreePorts;
import io.ponte.testing.TestCertificates;
import io.quarkus.tls.BaseTlsConfiguration;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HubClient} towards an https hub, without Quarkus: a TLS configuration that trusts all or
 * has none stops a node at start-up (not a hub), and a certificate the node does not accept comes
 * back as {@link Delivery.Kind#TLS_REFUSED}, not as a hub that is down.
 */
class HubClientTlsTest {

  static TestCertificates.Pem certificate;
  static SSLServerSocket server;
  static Thread acceptor;

  /** A TLS server on 127.0.0.1 with a certificate the JVM's trust store does not hold. */
  @BeforeAll
  static void startServer() throws Exception {
    Path dir = Files.createTempDirectory(Paths.get("target"), "hub-client-tls-");
    certificate = TestCertificates.selfSigned(dir, "hub");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("hub.p12"))) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                  socket.startHandshake(); // the client breaks it off
                } catch (IOException expected) {
                  // a refused handshake, or the server closing
                }
              }
            },
            "hub-client-tls-test");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
  }

  @Test
  void aCertificateTheNodeDoesNotTrustIsATlsRefusalNotAnOutage() {
    Delivery refused =
        client(Map.of()).put("https://127.0.0.1:" + server.getLocalPort(), "1.2.3", "{}", null);
    assertThat(refused.kind()).isEqualTo(Delivery.Kind.TLS_REFUSED);
    assertThat(refused.status()).isNull();
    assertThat(refused.detail())
        .startsWith("TLS: the hub's certificate was not accepted")
        .contains("https://127.0.0.1:" + server.getLocalPort());

    Delivery down = client(Map.of()).put("https://127.0.0.1:" + closedPort(), "1.2.3", "{}", null);
    assertThat(down.kind()).as("no answer at all").isEqualTo(Delivery.Kind.UNAVAILABLE);
  }

  @Test
  void aCertificateTrustedThroughTheNamedConfigurationButNotNamingTheHostIsRefused() {
    HubClient client = client(Map.of("ponte.node.publish.tls-configuration-name", "hub"));
    client.tlsConfigurations = registry("hub", trusting(certificate.certificate()));
    // The certificate names 127.0.0.1 only: trusted, then refused for the host.
    Delivery delivery =
        client.put("https://localhost:" + server.getLocalPort(), "1.2.3", "{}", null);
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.TLS_REFUSED);
    assertThat(delivery.detail()).containsIgnoringCase("localhost");
  }

  @Test
  void aNodeRefusesToStartWithATrustAllOrMissingOrEmptyConfiguration() {
    HubClient client =
        client(
            Map.of(
                "ponte.node.publish.tls-configuration-name",
                "hub",
                "ponte.node.publish.hub-url",
                "https://127.0.0.1:8443"));
    TlsConfiguration trustAll =
        new BaseTlsConfiguration() {
          @Override
          public boolean isTrustAll() {
            return true;
          }
        };
    for (Map.Entry<String, TlsConfigurationRegistry> bad :
        Map.of(
                "trust-all", registry("hub", trustAll),
                "no trust store", registry("hub", new BaseTlsConfiguration() {}),
                "no such configuration", registry("other", trusting(certificate.certificate())))
            .entrySet()) {
      client.tlsConfigurations = bad.getValue();
      assertThatThrownBy(() -> client.checkTls(null, role(Role.NODE)))
          .as(bad.getKey())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("quarkus.tls.");
      // A hub does not publish: the setting is not its concern.
      client.checkTls(null, role(Role.HUB));
    }
    client.tlsConfigurations = registry("hub", trusting(certificate.certificate()));
    client.checkTls(null, role(Role.NODE));
    // With a trust named, a plain http hub URL would send the same in clear: refused too.
    HubClient plain =
        client(
            Map.of(
                "ponte.node.publish.tls-configuration-name",
                "hub",
                "ponte.node.publish.hub-url",
                "http://127.0.0.1:8080"));
    plain.tlsConfigurations = registry("hub", trusting(certificate.certificate()));
    assertThatThrownBy(() -> plain.checkTls(null, role(Role.NODE)))
        .hasMessageContaining("is not an https URL");
  }

  @Test
  void theJdkSwitchThatSkipsTheHostCheckIsReadAsTheJdkReadsIt() {
    // -Djdk.internal.httpclient.disableHostnameVerification alone (empty) turns it off.
    assertThat(HubClient.hostCheckTurnedOff("")).isTrue();
    assertThat(HubClient.hostCheckTurnedOff("true")).isTrue();
    assertThat(HubClient.hostCheckTurnedOff("false")).isFalse();
    assertThat(HubClient.hostCheckTurnedOff(null)).isFalse();
  }

  private static HubClient client(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>(settings);
    values.put("ponte.node.publish.timeouts.connect", "2s");
    values.put("ponte.node.publish.timeouts.request", "5s");
    HubClient client = new HubClient();
    client.config =
        new io.smallrye.config.SmallRyeConfigBuilder()
            .withSources(new io.smallrye.config.PropertiesConfigSource(values, "test", 300))
            .withConverter(
                Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
            .withMapping(PublishConfig.class)
            .build()
            .getConfigMapping(PublishConfig.class);
    client.tlsConfigurations = registry("none", null);
    return client;
  }

  /** A configuration whose trust store holds {@code pem}, as quarkus.tls.hub.trust-store.pem. */
  private static TlsConfiguration trusting(Path pem) {
    return new BaseTlsConfiguration() {
      @Override
      public TrustOptions getTrustStoreOptions() {
        return new PemTrustOptions().addCertPath(pem.toString());
      }

      @Override
      public SSLContext createSSLContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
          trusted.setCertificateEntry(
              "hub", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
      }
    };
  }

  private static TlsConfigurationRegistry registry(String name, TlsConfiguration tls) {
    return new TlsConfigurationRegistry() {
      @Override
      public Optional<TlsConfiguration> get(String wanted) {
        return wanted.equals(name) ? Optional.ofNullable(tls) : Optional.empty();
      }

      @Override
      public Optional<TlsConfiguration> getDefault() {
        return Optional.empty();
      }

      @Override
      public void register(String n, TlsConfiguration configuration) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static PonteConfig role(Role role) {
    return new PonteConfig() {
      @Override
      public Role role() {
        return role;
      }

      @Override
      public Optional<String> site() {
        return Optional.of("hospital-a");
      }

      @Override
      public String publicUrl() {
        return "http://localhost:8080";
      }
    };
  }

  private static int closedPort() {
    return FreePorts.next();
  }
}
