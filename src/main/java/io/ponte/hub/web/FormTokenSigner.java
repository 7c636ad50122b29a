package io.ponte.hub.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the forms' CSRF tokens: {@code <issued epoch seconds>.<random salt>.<HMAC-SHA256
 * of the sign-in, that time and the salt>} (each page gets its own). A token is checked for its
 * signature and age, never compared with the newest one issued, so every form this sign-in was
 * shown stays valid (a clinician's two tabs, two patients) while another sign-in's, a forged, an
 * expired or a missing token is refused.
 */
final class FormTokenSigner {

  /**
   * Clocks of several hub replicas may differ a little; a token "from the future" beyond is not.
   */
  private static final long SKEW_SECONDS = 60;

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec key;
  private final Duration maxAge;
  private final Clock clock;

  FormTokenSigner(byte[] key, Duration maxAge, Clock clock) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** A token for the sign-in {@code session} (see {@link FormTokens#session}), issued now. */
  String issue(String session) {
    long now = clock.instant().getEpochSecond();
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    String salt = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return now + "." + salt + "." + mac(session, now, salt);
  }

  /** Whether {@code token} was issued by this hub to {@code session} within the maximum age. */
  boolean accepts(String token, String session) {
    if (token == null || session == null) {
      return false;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[0].length() > 12
        || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')
        || parts[1].isEmpty()) {
      return false;
    }
    long issued = Long.parseLong(parts[0]);
    long age = clock.instant().getEpochSecond() - issued;
    if (age < -SKEW_SECONDS || age > maxAge.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(
        mac(session, issued, parts[1]).getBytes(StandardCharsets.US_ASCII),
        parts[2].getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String session, long issued, String salt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] signed =
          mac.doFinal(
              ("ponte-form\n" + session + "\n" + issued + "\n" + salt)
                  .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256", e);
    }
  }
}
