package io.ponte.hub.consent;

import java.util.ArrayList;
import java.util.List;

/** A person's active consents (newest first) and unexpired emergency grants. */
public record PersonConsents(
    Person person, List<RecordedConsent> consents, List<ActiveGrant> grants) {

  public PersonConsents {
    List<RecordedConsent> sorted = new ArrayList<>(consents);
    sorted.sort(RecordedConsent::newestFirst);
    consents = List.copyOf(sorted);
    grants = List.copyOf(grants);
  }

  public static PersonConsents none(Person person) {
    return new PersonConsents(person, List.of(), List.of());
  }
}
