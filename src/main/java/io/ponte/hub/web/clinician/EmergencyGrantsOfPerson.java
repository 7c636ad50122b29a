package io.ponte.hub.web.clinician;

import io.ponte.hub.consent.EmergencyAccessService;
import io.ponte.hub.consent.EmergencyGrant;
import io.ponte.hub.consent.PatientResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The signed-in clinician's active emergency grants that cover one person, for the timeline's
 * banner: listed by the same service as {@code GET /api/emergency-access?active=true} (its role
 * check and audit), matched to the person by the regional id or, for an unlinked patient, its id.
 */
@ApplicationScoped
public class EmergencyGrantsOfPerson {

  @Inject EmergencyAccessService emergency;

  @Inject PatientResolver resolver;

  public List<EmergencyGrant> activeFor(String patientId) {
    return resolver
        .byPatientId(patientId)
        .map(
            named ->
                emergency.list(true).stream()
                    .filter(
                        g ->
                            (g.regionalId() != null && g.regionalId().equals(named.regionalId()))
                                || (g.patientId() != null
                                    && named.person().patientIds().contains(g.patientId())))
                    .toList())
        .orElse(List.of());
  }
}
