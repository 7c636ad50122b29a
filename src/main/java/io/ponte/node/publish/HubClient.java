package io.ponte.node.publish;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import io.ponte.tls.VerifiedTrust;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * PUTs an ImagingStudy to the hub as a FHIR conditional update on its Study Instance UID, so that
 * sending the same study twice updates one resource. One HTTP client for the process (connection
 * reuse, bounded timeouts); only the node's own token is sent, nothing of any caller. An {@code
 * https} hub URL is verified against {@link PublishConfig#tlsConfigurationName()} (else the JVM's
 * trust store) and its host; a certificate refused is told apart from a hub that does not answer
 * ({@link Delivery.Kind#TLS_REFUSED}).
 */
@ApplicationScoped
public class HubClient {

  private static final int MAX_ERROR_BODY = 600;

  /** The JDK client's switch that would accept a certificate naming another host. */
  static final String NO_HOST_CHECK = "jdk.internal.httpclient.disableHostnameVerification";

  @Inject PublishConfig config;

  @Inject TlsConfigurationRegistry tlsConfigurations;

  private volatile HttpClient http;

  /** A node with a wrong TLS setting stops at start, not at its first publication. */
  void checkTls(@Observes StartupEvent event, PonteConfig ponte) {
    if (ponte.isNode()) {
      if (hubTls().isPresent()) {
        VerifiedTrust.requireHttps("ponte.node.publish.tls-configuration-name", config.hubUrl());
      }
      if (config.hubUrl().regionMatches(true, 0, "https:", 0, 6)
          && hostCheckTurnedOff(System.getProperty(NO_HOST_CHECK))) {
        throw new IllegalStateException(
            "-D"
                + NO_HOST_CHECK
                + " is set: the hub's certificate would be accepted whatever host it names");
      }
    }
  }

  /** Whether {@link #NO_HOST_CHECK}'s value turns the check off, as the JDK reads it. */
  static boolean hostCheckTurnedOff(String value) {
    return value != null && (value.isEmpty() || Boolean.parseBoolean(value));
  }

  /** The SSL context of {@link PublishConfig#tlsConfigurationName()}, if named. */
  private Optional<SSLContext> hubTls() {
    return config
        .tlsConfigurationName()
        .map(
            name -> {
              try {
                return VerifiedTrust.require(
                        tlsConfigurations,
                        "ponte.node.publish.tls-configuration-name",
                        name,
                        "the node sends its studies, with their patients' identifiers, to the hub")
                    .createSSLContext();
              } catch (IllegalStateException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException("quarkus.tls." + name + ": " + e.getMessage(), e);
              }
            });
  }

  public Delivery put(String studyUid, String payload, String accessToken) {
    return put(config.hubUrl(), studyUid, payload, accessToken);
  }

  Delivery put(String hubUrl, String studyUid, String payload, String accessToken) {
    return send(studyUri(hubUrl, studyUid), "PUT", "application/fhir+json", payload, accessToken);
  }

  /**
   * Withdraws a study from the hub's registry: a FHIR conditional DELETE on its Study Instance UID
   * (the hub answers 204 also when it no longer has it, so a re-send is harmless).
   */
  public Delivery delete(String studyUid, String accessToken) {
    return delete(config.hubUrl(), studyUid, accessToken);
  }

  Delivery delete(String hubUrl, String studyUid, String accessToken) {
    return send(studyUri(hubUrl, studyUid), "DELETE", "application/fhir+json", null, accessToken);
  }

  private static URI studyUri(String hubUrl, String studyUid) {
    return URI.create(
        Urls.withoutTrailingSlash(hubUrl)
            + "/fhir/ImagingStudy?identifier="
            + URLEncoder.encode(
                IdentifierSystems.DICOM_UID + "|" + IdentifierSystems.oid(studyUid),
                StandardCharsets.UTF_8));
  }

  /**
   * POSTs JSON to {@code path} of the hub (e.g. a node's audit records), with the same client,
   * timeouts and answer classification as a publication.
   */
  public Delivery post(String path, String json, String accessToken) {
    URI uri = URI.create(Urls.withoutTrailingSlash(config.hubUrl()) + path);
    return send(uri, "POST", "application/json", json, accessToken);
  }

  private Delivery send(
      URI uri, String method, String mediaType, String payload, String accessToken) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(config.timeouts().request());
    if (accessToken != null) {
      builder.header("Authorization", "Bearer " + accessToken);
    }
    if (payload != null) {
      builder.header("Content-Type", mediaType);
    }
    HttpRequest request =
        builder
            .header("Accept", mediaType)
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<InputStream> response =
          client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        // The answer to a success is the stored resource, which we do not need; of an error, the
        // start says why.
        body =
            response.statusCode() / 100 == 2
                ? ""
                : new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
      }
      return Delivery.of(response.statusCode(), body, retryAfter(response));
    } catch (IOException e) {
      String detail =
          e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + " ("
              + uri.getScheme()
              + "://"
              + uri.getAuthority()
              + ")";
      return VerifiedTrust.refusal(e) ? Delivery.tlsRefused(detail) : Delivery.unreachable(detail);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.unreachable("interrupted");
    }
  }

  private HttpClient client() {
    HttpClient c = http;
    if (c == null) {
      synchronized (this) {
        c = http;
        if (c == null) {
          // HTTP/1.1: no h2c upgrade dance with a plain-HTTP hub; connections are kept alive and
          // reused.
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(config.timeouts().connect())
                  .followRedirects(HttpClient.Redirect.NEVER);
          // For an https hub URL: the named trust, else the JVM's default context. The JDK client
          // checks that the certificate names the URL's host (checkTls refuses the switch that
          // turns this off).
          hubTls().ifPresent(builder::sslContext);
          c = builder.build();
          http = c;
        }
      }
    }
    return c;
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
              } catch (NumberFormatException httpDate) {
                return Optional.empty();
              }
            });
  }
}
