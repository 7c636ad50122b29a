package io.ponte.hub.send;

import java.io.IOException;

/**
 * A send that failed for a reason its thrower can name ({@link StowUpload}, {@link StowTokens}):
 * the message is the reason recorded on the job, {@link #kind} the kind the pages word.
 */
final class SendFailedException extends IOException {

  final SendFailure kind;

  SendFailedException(SendFailure kind, String reason, Throwable cause) {
    super(reason, cause);
    this.kind = kind;
  }

  SendFailedException(SendFailure kind, String reason) {
    this(kind, reason, null);
  }

  /** The kind of {@code e}: its own when it names one, else {@link SendFailure#OTHER}. */
  static SendFailure kindOf(Exception e) {
    return e instanceof SendFailedException f ? f.kind : SendFailure.OTHER;
  }
}
