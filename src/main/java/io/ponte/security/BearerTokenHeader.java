package io.ponte.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Locale;

/**
 * What the unverified parts of a bearer token say, read only to refuse early and to name a refusal:
 * never trusted for access (Quarkus OIDC verifies the signature and claims), never logged.
 */
record BearerTokenHeader(String algorithm, String keyId, Long expiresAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The token of an {@code Authorization: Bearer} value, or null when the scheme is another. */
  static String token(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
      return null;
    }
    return authorization.substring("Bearer ".length()).trim();
  }

  /** The JOSE header and expiry of a compact JWS, or null when it is not one. */
  static BearerTokenHeader of(String token) {
    if (token == null) {
      return null;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
        return null;
      }
      JsonNode exp = claims.get("exp");
      return new BearerTokenHeader(
          text(header.get("alg")),
          text(header.get("kid")),
          exp != null && exp.canConvertToLong() ? exp.asLong() : null);
    } catch (RuntimeException | java.io.IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  /**
   * Whether the header names the realm's signature algorithm and a key: anything else is forged.
   */
  boolean signedAs(String expectedAlgorithm) {
    return algorithm != null
        && algorithm.toUpperCase(Locale.ROOT).equals(expectedAlgorithm.toUpperCase(Locale.ROOT))
        && keyId != null
        && !keyId.isBlank();
  }
}
