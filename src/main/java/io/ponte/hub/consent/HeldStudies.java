package io.ponte.hub.consent;

import java.util.Collection;

/**
 * What consent asks of the registry: whether a person has studies held at a site (a consent may
 * only deny sharing what exists). The registry implements it, so that consent, which the registry's
 * read paths call, never imports the registry.
 */
public interface HeldStudies {

  /** Whether any registered study of these hub Patients is held at {@code site}. */
  boolean anyAt(String site, Collection<String> patientIds);
}
