package io.ponte.hub.send;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * "Send to my PACS": each organisation's own DICOM destination, the only place its clinicians may
 * send a study to. The address of a DIMSE destination may be left out when the organisation's DIMSE
 * caller already names it as a C-MOVE destination ({@code ponte.hub.dimse.callers}): one place says
 * where the clinic's PACS listens (docs/operations.md, "Send to my PACS").
 */
@ConfigMapping(prefix = "ponte.hub.send")
public interface SendConfig {

  /**
   * Organisation (as in the users' {@code organization} claim; quote it in the key: {@code
   * ponte.hub.send.destinations."clinic-norte".dimse.ae-title}) to its destination.
   */
  Map<String, Destination> destinations();

  /** Sends running at once; further ones wait their turn (queued). */
  @WithDefault("2")
  int workers();

  /** The progress stored for the page is written at most this often (and at the end). */
  @WithDefault("250ms")
  Duration progressInterval();

  /** A clinic's PACS as the hub sends to it. */
  interface Destination {

    /**
     * The PACS's name as the clinic's clinicians know it (e.g. {@code PACS da Clínica Norte}),
     * shown on the send pages with the AE title or URL as small print under it; without one the
     * pages say "your clinic's PACS" (the job and audit record name it by its AE title or URL).
     */
    Optional<String> name();

    /** The C-STORE destination (used when both it and {@link #stow()} are configured). */
    Optional<Dimse> dimse();

    /** The DICOMweb STOW-RS destination. */
    Optional<Stow> stow();
  }

  /**
   * A DICOMweb endpoint that stores (STOW-RS). Authorisation: none, a fixed bearer token, or a
   * token fetched with the client-credentials grant before each send (token-url, client-id,
   * client-secret), so a long-lived secret is configured, never a copied user token.
   */
  interface Stow {

    /**
     * The STOW-RS URL the study is POSTed to (e.g. {@code https://pacs.example/dicom-web/studies}).
     */
    java.net.URI url();

    Optional<String> bearerToken();

    Optional<java.net.URI> tokenUrl();

    Optional<String> clientId();

    Optional<String> clientSecret();

    /** Connect, token and the endpoint's answer after the last byte. */
    @WithDefault("60s")
    Duration timeout();
  }

  /** A storage SCP. */
  interface Dimse {

    /** The called AE title. */
    String aeTitle();

    /**
     * {@code host:port}; when absent, the organisation's C-MOVE destination of the same AE title
     * ({@code ponte.hub.dimse.callers."<caller>".destinations."<ae-title>"}).
     */
    Optional<String> address();
  }
}
