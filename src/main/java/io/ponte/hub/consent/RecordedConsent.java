package io.ponte.hub.consent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A stored, active consent as the decision reads it: the base provision and its exceptions (nested
 * provisions, which win over the base where they apply).
 */
public record RecordedConsent(
    String id,
    Instant consentedAt,
    Instant recordedAt,
    ConsentRule base,
    List<ConsentRule> exceptions) {

  public RecordedConsent {
    exceptions = List.copyOf(exceptions);
  }

  /**
   * What this consent says about the access, or empty when it says nothing about it (another
   * organisation or site, or outside its period): then an older consent or the region policy
   * decides.
   */
  Optional<Boolean> permits(String organization, String owningSite, Instant at) {
    if (!base.inPeriod(at)) {
      return Optional.empty();
    }
    for (ConsentRule exception : exceptions) {
      if (exception.applies(organization, owningSite, at)) {
        return Optional.of(exception.permit());
      }
    }
    return base.applies(organization, owningSite, at)
        ? Optional.of(base.permit())
        : Optional.empty();
  }

  /** Newest first: by when the patient consented, then by when it was recorded. */
  static int newestFirst(RecordedConsent a, RecordedConsent b) {
    int c = b.consentedAt.compareTo(a.consentedAt);
    return c != 0 ? c : b.recordedAt.compareTo(a.recordedAt);
  }
}
