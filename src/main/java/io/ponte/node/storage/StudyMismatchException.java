package io.ponte.node.storage;

/**
 * The instance belongs to another study than the one the request was addressed to; nothing was
 * stored.
 */
public class StudyMismatchException extends StoreException {

  public StudyMismatchException(String message) {
    super(Reason.INVALID_DATA, message);
  }
}
