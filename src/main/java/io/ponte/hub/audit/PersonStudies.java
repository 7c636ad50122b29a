package io.ponte.hub.audit;

import java.util.Collection;
import java.util.Set;

/**
 * Which studies are a person's, as a patient's view of the audit needs it: a record of a search
 * names every study it found, hers and other people's. Implemented by hub/registry, which owns the
 * studies (the trail cannot import it: the registry audits through the trail).
 */
public interface PersonStudies {

  /** Those of {@code studyUids} registered for one of {@code patientIds} (hub Patient ids). */
  Set<String> studiesOf(Collection<String> patientIds, Collection<String> studyUids);
}
