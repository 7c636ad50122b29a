package io.ponte.hub.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The hub's CSRF tokens for its forms, bound to the person's sign-in (not to a cookie): a cookie
 * SameSite=Strict is not sent when the person arrives from another site, and minting a new one then
 * would orphan every form already open in other tabs. The sign-in itself rides in the encrypted
 * session cookie, which no other site can read or plant.
 */
@ApplicationScoped
public class FormTokens {

  /** The form field that carries the token. */
  public static final String FIELD = "csrf-token";

  private final FormTokenSigner signer;

  @Inject
  FormTokens(WebConfig config) {
    byte[] key =
        config
            .csrfKey()
            .filter(k -> !k.isBlank())
            .map(k -> k.getBytes(StandardCharsets.UTF_8))
            .orElseGet(FormTokens::randomKey);
    signer = new FormTokenSigner(key, config.formTokenMaxAge(), Clock.systemUTC());
  }

  /** A new token for whoever is signed in, or null for an anonymous visitor (who has no forms). */
  public String issue(SecurityIdentity identity) {
    String session = session(identity);
    return session == null ? null : signer.issue(session);
  }

  public boolean accepts(String token, SecurityIdentity identity) {
    return signer.accepts(token, session(identity));
  }

  /**
   * What a token is bound to: the person ({@code sub}) and their Keycloak session ({@code sid}),
   * which stays the same across token refreshes and ends at sign-out. Without {@code sid} nothing:
   * a token bound to the person alone would serve every one of their sessions.
   */
  static String session(SecurityIdentity identity) {
    if (identity == null
        || identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return null;
    }
    Object sid = jwt.getClaim("sid");
    String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
    if (subject == null || sid == null || sid.toString().isBlank()) {
      return null;
    }
    return subject + "\nsid:" + sid;
  }

  /** Unset outside demo/dev/test, ClientSecrets refuses to start; this only covers a bare build. */
  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
