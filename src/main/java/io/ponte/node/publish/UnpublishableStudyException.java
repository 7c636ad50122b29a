package io.ponte.node.publish;

/**
 * A study the hub would refuse as indexed (e.g. no PatientID, so no one to file it under). The
 * outbox keeps the reason; a later instance of the study rebuilds it.
 */
public class UnpublishableStudyException extends Exception {

  public UnpublishableStudyException(String message) {
    super(message);
  }
}
