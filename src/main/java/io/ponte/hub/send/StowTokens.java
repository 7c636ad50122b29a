package io.ponte.hub.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The bearer token a send presents to a clinic's STOW-RS endpoint: the configured fixed one, or a
 * fresh one from the client-credentials grant (fetched per send, so a long send never starts with
 * an expired token); none when neither is configured.
 */
final class StowTokens {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StowTokens() {}

  static String bearer(HttpClient http, SendConfig.Stow stow) throws IOException {
    if (stow.bearerToken().isPresent()) {
      return stow.bearerToken().get();
    }
    if (stow.tokenUrl().isEmpty()) {
      return null;
    }
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(stow.clientId().orElse(""), StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(stow.clientSecret().orElse(""), StandardCharsets.UTF_8);
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(stow.tokenUrl().get())
                  .timeout(stow.timeout())
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw new SendFailedException(
          SendFailure.PACS_UNREACHABLE,
          "the token endpoint " + stow.tokenUrl().get() + " could not be reached: " + e,
          e);
    }
    String token =
        r.statusCode() == 200 ? JSON.readTree(r.body()).path("access_token").asText(null) : null;
    if (token == null) {
      throw new SendFailedException(
          SendFailure.PACS_UNREACHABLE,
          "the token endpoint "
              + stow.tokenUrl().get()
              + " refused the client credentials (HTTP "
              + r.statusCode()
              + ")");
    }
    return token;
  }
}
