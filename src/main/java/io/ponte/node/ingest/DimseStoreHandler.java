package io.ponte.node.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.dicom.UID;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.StoreHandler;
import io.ponte.dicom.net.StoreRequest;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoredInstance;
import java.io.InputStream;
import org.jboss.logging.Logger;

/**
 * C-STORE into the node's store: the data set streams from the association into {@link
 * InstanceStore}, and the SCU hears success only once the store has made the instance durable.
 * Store refusals become the DIMSE status PS3.4 B.2.3 / PS3.7 C defines for them, with the store's
 * reason as Error Comment.
 */
final class DimseStoreHandler implements StoreHandler {

  private static final Logger LOG = Logger.getLogger(DimseStoreHandler.class);

  private final InstanceStore store;
  private final MeterRegistry meters;

  DimseStoreHandler(InstanceStore store, MeterRegistry meters) {
    this.store = store;
    this.meters = meters;
  }

  @Override
  public DimseStatus store(StoreRequest request, InputStream dataset) {
    // UIDs reach paths and blob names downstream; refuse malformed ones before anything is written.
    if (!UID.isValid(request.sopInstanceUid())) {
      return failed(DimseStatus.of(DimseStatus.INVALID_SOP_INSTANCE, "invalid SOP Instance UID"));
    }
    if (!UID.isValid(request.sopClassUid())) {
      return failed(DimseStatus.of(DimseStatus.SOP_CLASS_NOT_SUPPORTED, "invalid SOP Class UID"));
    }
    IngestSource source =
        new IngestSource(
            IngestSource.Protocol.DIMSE, request.callingAeTitle(), request.remoteAddress());
    try {
      StoredInstance stored =
          store.storeDataset(
              source,
              request.sopClassUid(),
              request.sopInstanceUid(),
              request.transferSyntaxUid(),
              dataset);
      meters
          .counter("ponte.dimse.instances", "outcome", stored.duplicate() ? "duplicate" : "stored")
          .increment();
      return DimseStatus.OK;
    } catch (StoreException e) {
      LOG.infof(
          "C-STORE of %s from %s refused: %s (%s)",
          request.sopInstanceUid(), request.callingAeTitle(), e.reason(), e.getMessage());
      return failed(statusFor(e));
    }
  }

  private DimseStatus failed(DimseStatus status) {
    meters
        .counter(
            "ponte.dimse.instances",
            "outcome",
            "failed",
            "status",
            String.format("%04X", status.code()))
        .increment();
    return status;
  }

  /** The DIMSE answer to a store refusal. */
  static DimseStatus statusFor(StoreException e) {
    switch (e.reason()) {
      case INVALID_DATA:
        return DimseStatus.of(DimseStatus.CANNOT_UNDERSTAND, e.getMessage());
      case INVALID_UID:
        // The data set's UIDs are malformed or disagree with the command: it is not what it claims
        // to be.
        return DimseStatus.of(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, e.getMessage());
      case CONFLICTING_DUPLICATE:
        return DimseStatus.of(DimseStatus.DUPLICATE_WITH_DIFFERENT_CONTENT, e.getMessage());
      case NOT_SUPPORTED:
        return DimseStatus.of(DimseStatus.SOP_CLASS_NOT_SUPPORTED, e.getMessage());
      case OUT_OF_RESOURCES:
      default:
        return DimseStatus.of(DimseStatus.OUT_OF_RESOURCES, e.getMessage());
    }
  }
}
