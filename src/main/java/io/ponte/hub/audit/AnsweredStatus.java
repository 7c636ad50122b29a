package io.ponte.hub.audit;

/**
 * A refusal answered with another HTTP status than its code's (a node's status passed on by the
 * hub, e.g. 500 with {@code ponte:site-unavailable}): the record keeps the status the caller got.
 */
public interface AnsweredStatus {
  int answeredStatus();
}
