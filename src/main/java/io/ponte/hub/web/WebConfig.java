package io.ponte.hub.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** Settings of the hub's web pages (portal, clinician, authority). */
@ConfigMapping(prefix = "ponte.web")
public interface WebConfig {

  /**
   * Language of a visitor who chose none and whose browser asks for neither pt nor en: {@code pt},
   * since the region is Portuguese.
   */
  @WithDefault("pt")
  String defaultLocale();

  /**
   * Zone dates and times are shown in. Pages are server-rendered without script, so the browser's
   * own zone is unknown; the region's zone keeps a study taken at 00:30 on its local day.
   */
  @WithDefault("Europe/Lisbon")
  ZoneId timeZone();

  /**
   * The {@code organization} claim of the health authority's people (the realm's users carry it):
   * the pages name it "Regional health authority" in their language instead of this id.
   */
  @WithDefault("regional-health-authority")
  String authorityOrganization();

  /**
   * The {@code Strict-Transport-Security} value pages are sent with; none when unset. Set in the
   * prod profile, where the browser reaches the hub over HTTPS through an ingress; never on the
   * plain-http://localhost demo, which a browser would then refuse to open over HTTP.
   */
  Optional<String> strictTransportSecurity();

  /**
   * The key that signs the forms' CSRF tokens ({@link FormTokens}): PONTE_WEB_CSRF_KEY, else
   * PONTE_WEB_SESSION_SECRET. Outside demo/dev/test a hub without one, or with one shorter than 32
   * characters, refuses to start (io.ponte.security.ClientSecrets).
   */
  Optional<String> csrfKey();

  /**
   * How long a form's token stays valid after its page was shown: longer than a working day's
   * sign-in, so a form left open is refused only once its sign-in could no longer be alive.
   */
  @WithDefault("PT12H")
  Duration formTokenMaxAge();
}
