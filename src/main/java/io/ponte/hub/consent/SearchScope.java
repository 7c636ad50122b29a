package io.ponte.hub.consent;

import java.util.Map;
import java.util.Set;

/**
 * What one caller's search may show, in a form the registry puts into its SQL, so that the database
 * pages over visible rows only: {@code limit}/{@code offset}, {@code _count}/{@code _offset} and
 * totals count what the caller may see, and a page is full whenever enough visible rows exist.
 *
 * <p>A hub Patient's studies are all held at the patient's own site (a node publishes only its own
 * site's patients), so one decision per hub Patient covers its studies. Patients of persons with no
 * consent and no emergency grant follow the default ({@link #shownByDefault}; the owning site's own
 * clinicians always see theirs); the others were decided one by one by {@link ConsentLogic} and,
 * where the decision differs from the default, are listed in {@link #exceptions}.
 *
 * @param unrestricted the caller is not subject to consent (a patient, or enforcement is off)
 * @param shownByDefault opt-out with a requesting organisation: shown unless an exception
 * @param ownSite the requesting organisation, whose own site's studies are always shown
 * @param exceptions hub Patient ids hidden (when shown by default) or shown (otherwise)
 * @param exceptionSet the key of {@code exceptions} in consent_exception (null when none), which
 *     the registry's SQL probes ({@link SearchExceptionSets})
 * @param emergency hub Patient ids shown only under one of the caller's emergency grants
 * @param epoch the consent epoch the scope was decided at; the registry's SQL shows rows only while
 *     the database still holds that epoch ({@link ConsentEnforcement#search})
 */
public record SearchScope(
    boolean unrestricted,
    boolean shownByDefault,
    String ownSite,
    Set<String> exceptions,
    String exceptionSet,
    Map<String, Decision> emergency,
    long epoch) {

  public static final SearchScope UNRESTRICTED =
      new SearchScope(true, true, null, Set.of(), null, Map.of(), -1);

  public SearchScope {
    exceptions = Set.copyOf(exceptions);
    if (exceptions.isEmpty() != (exceptionSet == null)) {
      throw new IllegalArgumentException("an exception set names exactly the exceptions");
    }
    emergency = Map.copyOf(emergency);
  }

  /** Whether the studies of hub Patient {@code patientId}, held at {@code site}, are shown. */
  public boolean shows(String patientId, String site) {
    if (unrestricted || (ownSite != null && ownSite.equals(site))) {
      return true;
    }
    return shownByDefault != exceptions.contains(patientId);
  }

  /** Whether any match at all could be left out (else no "withheld" check is needed). */
  public boolean mayWithhold() {
    return !unrestricted && (!shownByDefault || !exceptions.isEmpty());
  }
}
