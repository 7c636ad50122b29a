package io.ponte.node.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * How a node publishes its studies to the hub (node role only). The OIDC client the publisher signs
 * in with is the named client {@code quarkus.oidc-client.publisher.*}.
 */
@ConfigMapping(prefix = "ponte.node.publish")
public interface PublishConfig {

  /** Whether the node publishes at all (a node may be run detached from any hub). */
  @WithDefault("true")
  boolean enabled();

  /**
   * How long a study must receive no instance before it is published: modalities send a study over
   * minutes, and one publication of the whole study beats one per instance.
   */
  @WithDefault("30s")
  Duration quietPeriod();

  /** How often the enqueuer and the sender look for work (read by their {@code @Scheduled}). */
  @WithDefault("2s")
  String pollInterval();

  /** The hub's base URL; the ImagingStudy goes to {@code <hub-url>/fhir/ImagingStudy}. */
  @WithDefault("http://127.0.0.1:8080")
  String hubUrl();

  /**
   * The TLS configuration ({@code quarkus.tls.<name>.trust-store.*}) that verifies the hub's
   * certificate where the hub URL is {@code https}: the cluster's private CA, say. Unset: the JVM's
   * trust store. Either way the certificate must name the URL's host; a configuration that trusts
   * all, or has no trust store, stops a node at start-up, since what the node sends (studies with
   * their patients' identifiers, withdrawals, its audit records, its token) must reach the real hub
   * only.
   */
  Optional<String> tlsConfigurationName();

  /** Retry backoff: doubles from {@code initial} after each failure, capped at {@code max}. */
  Retry retry();

  /** Bounded waits so one slow hub cannot stall the sender forever. */
  Timeouts timeouts();

  /** At most this many studies are built, or sent, per run. */
  @WithDefault("20")
  int batchSize();

  /**
   * The URI system of this site's patient identifiers (PatientID); default {@code
   * urn:ponte:site:<site>:mrn}, which is what the hub expects of a site unless its own
   * configuration names another.
   */
  Optional<String> patientIdentifierSystem();

  /**
   * The zone StudyDate/StudyTime are local to (DICOM times carry no zone; FHIR requires one with a
   * time). Default: the JVM's zone. A region id such as {@code Europe/Lisbon}, so that daylight
   * saving is followed.
   */
  Optional<String> timeZone();

  default ZoneId zone() {
    return timeZone().filter(z -> !z.isBlank()).map(ZoneId::of).orElse(ZoneId.systemDefault());
  }

  interface Retry {
    @WithDefault("2s")
    Duration initial();

    @WithDefault("5m")
    Duration max();
  }

  interface Timeouts {
    @WithDefault("5s")
    Duration connect();

    @WithDefault("30s")
    Duration request();
  }
}
