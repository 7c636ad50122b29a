package io.ponte.node.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.dicom.UID;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.StoreHandler;
import io.ponte.dicom.net.StoreRequest;
import io.ponte.error.ErrorCode;
import io.ponte.node.audit.AssociationAudit;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoredInstance;
import java.io.InputStream;
import org.jboss.logging.Logger;

/**
 * C-STORE into the node's store: the data set streams from the association into {@link
 * InstanceStore}, and the SCU hears success only once the store has made the instance durable.
 * Store refusals become the DIMSE status {@link StoreRefusal} gives them, with an Error Comment
 * that begins with the stable error code and goes on with the store's reason.
 */
final class DimseStoreHandler implements StoreHandler {

  private static final Logger LOG = Logger.getLogger(DimseStoreHandler.class);

  private final InstanceStore store;
  private final MeterRegistry meters;
  private final AssociationAudit audit;

  DimseStoreHandler(InstanceStore store, MeterRegistry meters, AssociationAudit audit) {
    this.store = store;
    this.meters = meters;
    this.audit = audit;
  }

  @Override
  public DimseStatus store(StoreRequest request, InputStream dataset) {
    // UIDs reach paths and blob names downstream; refuse malformed ones before anything is written.
    if (!UID.isValid(request.sopInstanceUid())) {
      return failed(
          DimseStatus.of(
              DimseStatus.INVALID_SOP_INSTANCE,
              ErrorCode.INVALID_UID.comment("invalid SOP Instance UID")));
    }
    if (!UID.isValid(request.sopClassUid())) {
      return failed(
          DimseStatus.of(
              DimseStatus.SOP_CLASS_NOT_SUPPORTED,
              ErrorCode.INVALID_UID.comment("invalid SOP Class UID")));
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
      audit.stored(stored.studyInstanceUid());
      return DimseStatus.OK;
    } catch (StoreException e) {
      StoreRefusal refusal = StoreRefusal.of(e);
      LOG.infof(
          "C-STORE of %s from %s refused: %s (%s)",
          request.sopInstanceUid(), request.callingAeTitle(), refusal, e.getMessage());
      return failed(refusal.dimse(StoreRefusal.detail(e)));
    }
  }

  private DimseStatus failed(DimseStatus status) {
    audit.failed(null, status.code(), status.errorComment());
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
}
