package io.ponte.node.publish;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.text.Urls;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * PUTs an ImagingStudy to the hub as a FHIR conditional update on its Study Instance UID, so that
 * sending the same study twice updates one resource. One HTTP client for the process (connection
 * reuse, bounded timeouts); only the node's own token is sent, nothing of any caller.
 */
@ApplicationScoped
public class HubClient {

  private static final int MAX_ERROR_BODY = 600;

  @Inject PublishConfig config;

  private volatile HttpClient http;

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
      return Delivery.unreachable(
          e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + " ("
              + uri.getScheme()
              + "://"
              + uri.getAuthority()
              + ")");
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
          c =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(config.timeouts().connect())
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build();
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
