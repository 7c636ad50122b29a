package io.ponte.hub.audit;

import java.util.List;

/**
 * The hub patients (Patient ids) linked under a regional id, so a patient's view of the audit
 * covers every local identifier of theirs. Implemented by hub/identity, which owns the links (the
 * trail cannot import it: identity audits through the trail).
 */
public interface PersonPatients {
  List<String> patientIdsOf(String regionalId);
}
