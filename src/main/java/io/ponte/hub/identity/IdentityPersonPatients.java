package io.ponte.hub.identity;

import io.ponte.hub.audit.PersonPatients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The identity links, as the audit trail's patient view needs them. */
@ApplicationScoped
public class IdentityPersonPatients implements PersonPatients {

  @Inject IdentityService identity;

  @Override
  public List<String> patientIdsOf(String regionalId) {
    return identity.patientIdsOf(regionalId);
  }
}
