package io.ponte.dicom.net;

import io.ponte.dicom.Attributes;

/**
 * Serves C-FIND, C-GET and C-MOVE (PS3.4 C) on an acceptor, on the association's own thread: the
 * handler sends its pending responses (matches, or sub-operation counts) through the {@link
 * Responder} and returns the final status, which the association sends with the last counts. A
 * thrown exception becomes 0xC000 (unable to process). Operations are served one at a time, so a
 * C-CANCEL is seen when the handler asks {@link Responder#cancelled()}.
 */
@FunctionalInterface
public interface QueryRetrieveHandler {

  DimseStatus serve(QueryRetrieveRequest request, Attributes identifier, Responder responder)
      throws Exception;

  /** The association as the handler of one request sees it. */
  interface Responder {

    /** A C-FIND pending response (0xFF00) carrying one match. */
    void match(Attributes identifier) throws java.io.IOException;

    /**
     * A C-GET/C-MOVE pending response with the sub-operation counts; the final response repeats the
     * last completed, failed and warning counts.
     */
    void progress(int remaining, int completed, int failed, int warning) throws java.io.IOException;

    /** Whether the requestor has sent C-CANCEL-RQ for this request (checked without blocking). */
    boolean cancelled() throws java.io.IOException;

    /**
     * The transfer syntax in which a C-GET sub-operation of {@code sopClassUid} can be sent when
     * the instance is stored in {@code storedTransferSyntax}: that one when an accepted storage
     * context carries it, else null (no transcoding here).
     */
    String storeTransferSyntax(String sopClassUid, String storedTransferSyntax);

    /**
     * A C-STORE sub-operation on this association (C-GET), the data set streamed from {@code
     * dataset} (bare, already in {@code transferSyntaxUid}); returns the requestor's status.
     */
    DimseStatus store(
        String sopClassUid,
        String sopInstanceUid,
        String transferSyntaxUid,
        java.io.InputStream dataset)
        throws java.io.IOException;
  }
}
