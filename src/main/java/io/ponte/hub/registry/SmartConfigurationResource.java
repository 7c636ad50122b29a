package io.ponte.hub.registry;

import io.ponte.text.Urls;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: SMART App Launch discovery, public, with the
 * realm's endpoints. It advertises {@code smart-imaging-access} (Argonaut SMART Imaging Access):
 * the ImagingStudy search's Endpoints ({@code _include=ImagingStudy:endpoint}) are the hub's
 * WADO-RS, retrieved with the same access token.
 */
@Path("/hub/fhir/.well-known/smart-configuration")
public class SmartConfigurationResource {

  @ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String authServer;

  @GET
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> configuration() {
    String realm = Urls.withoutTrailingSlash(authServer);
    String oidc = realm + "/protocol/openid-connect";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("issuer", realm);
    c.put("jwks_uri", oidc + "/certs");
    c.put("authorization_endpoint", oidc + "/auth");
    c.put("token_endpoint", oidc + "/token");
    c.put("revocation_endpoint", oidc + "/revoke");
    c.put("introspection_endpoint", oidc + "/token/introspect");
    c.put("userinfo_endpoint", oidc + "/userinfo");
    c.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
    c.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
    c.put("response_types_supported", List.of("code"));
    c.put("code_challenge_methods_supported", List.of("S256"));
    c.put(
        "scopes_supported",
        List.of(
            "openid",
            "profile",
            "user/ImagingStudy.rs",
            "user/Patient.rs",
            "patient/ImagingStudy.rs",
            "system/ImagingStudy.rs"));
    c.put(
        "capabilities",
        List.of(
            "smart-imaging-access",
            "client-public",
            "client-confidential-symmetric",
            "sso-openid-connect",
            "permission-patient",
            "permission-user",
            "permission-v2"));
    return c;
  }
}
