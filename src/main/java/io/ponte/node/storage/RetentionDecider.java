package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Decides a study's retention from the header of one of its instances, at ingest. Implemented by
 * node/retention (the policy and its configuration live there); declared here so that the store
 * needs no dependency on the feature that also deletes from it.
 */
public interface RetentionDecider {

  /** The retention class (e.g. OUTPATIENT, INPATIENT, UNDECIDED) and the first deletable day. */
  record Decision(String retentionClass, LocalDate endsOn) {}

  Decision decide(Attributes dataset, Instant receivedAt);
}
