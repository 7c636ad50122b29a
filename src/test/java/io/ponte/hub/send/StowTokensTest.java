package io.ponte.hub.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ponte.testing.JsonAnswer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-credentials token a STOW-RS send presents: the token endpoint's access_token, and a
 * token endpoint that refuses or cannot be reached fails the send as a PACS that cannot be reached
 * ({@link SendFailure#PACS_UNREACHABLE}), with the endpoint named in the reason.
 */
class StowTokensTest {

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI tokenEndpoint(int status, String json) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          JsonAnswer.send(exchange, status, "application/json", json);
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  @Test
  void theGrantsAccessTokenIsTheBearer() throws Exception {
    URI token = tokenEndpoint(200, "{\"access_token\":\"t0ken\",\"token_type\":\"Bearer\"}");
    assertThat(StowTokens.bearer(http, stow(token))).isEqualTo("t0ken");
  }

  @Test
  void refusedClientCredentialsAreAPacsThatCannotBeReached() throws Exception {
    URI token = tokenEndpoint(401, "{\"error\":\"unauthorized_client\"}");
    assertThatThrownBy(() -> StowTokens.bearer(http, stow(token)))
        .isInstanceOf(SendFailedException.class)
        .hasMessageContaining("the token endpoint " + token)
        .hasMessageContaining("HTTP 401")
        .satisfies(
            e ->
                assertThat(((SendFailedException) e).kind).isEqualTo(SendFailure.PACS_UNREACHABLE));
  }

  @Test
  void aTokenEndpointThatIsDownIsAPacsThatCannotBeReached() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    URI token = URI.create("http://127.0.0.1:" + closed + "/token");
    assertThatThrownBy(() -> StowTokens.bearer(http, stow(token)))
        .isInstanceOf(SendFailedException.class)
        .hasMessageContaining("could not be reached")
        .satisfies(
            e ->
                assertThat(((SendFailedException) e).kind).isEqualTo(SendFailure.PACS_UNREACHABLE));
  }

  private static SendConfig.Stow stow(URI tokenUrl) {
    return stow(URI.create("http://127.0.0.1:1/dicom-web/studies"), tokenUrl);
  }

  /** A STOW-RS destination at {@code url}, its token from {@code tokenUrl} (null: no token). */
  static SendConfig.Stow stow(URI url, URI tokenUrl) {
    return new SendConfig.Stow() {
      @Override
      public URI url() {
        return url;
      }

      @Override
      public Optional<String> bearerToken() {
        return Optional.empty();
      }

      @Override
      public Optional<URI> tokenUrl() {
        return Optional.ofNullable(tokenUrl);
      }

      @Override
      public Optional<String> clientId() {
        return Optional.of("clinic-norte-pacs");
      }

      @Override
      public Optional<String> clientSecret() {
        return Optional.of("s3cret");
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(5);
      }
    };
  }
}
