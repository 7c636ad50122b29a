package io.ponte.dicom.net;

import java.io.InputStream;

/**
 * Receives the data set of each C-STORE-RQ as a stream read straight from the association (PS3.8
 * PDVs, in the negotiated transfer syntax, no file meta). The returned status is sent in the
 * C-STORE-RSP only after this method returns, so a handler that acknowledges only durable writes
 * makes the SCU's success mean "stored". Unread data is drained by the caller; a thrown exception
 * becomes 0xC110 (processing failure, in the Cxxx family).
 */
@FunctionalInterface
public interface StoreHandler {

  DimseStatus store(StoreRequest request, InputStream dataset) throws Exception;
}
