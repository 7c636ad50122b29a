package io.ponte.hub.dimse;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.QueryRetrieveHandler;
import io.ponte.dicom.net.QueryRetrieveRequest;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The hub's C-FIND, C-GET and C-MOVE: checks the information model and level, then runs the
 * operation as the organisation the calling AE title is mapped to ({@link DimseIdentity}). The
 * federation's refusals become DIMSE statuses: consent or role 0x0124 (refused: not authorised), a
 * malformed key 0xA900 (identifier does not match SOP class), an unreachable site 0xC000 (unable to
 * process).
 */
@ApplicationScoped
class HubQueryRetrieve implements QueryRetrieveHandler {

  private static final Logger LOG = Logger.getLogger(HubQueryRetrieve.class);

  @Inject HubDimseConfig config;

  @Inject DimseFind find;

  @Inject DimseRetrieve retrieve;

  @Override
  public DimseStatus serve(QueryRetrieveRequest request, Attributes identifier, Responder responder)
      throws Exception {
    QueryModel model = QueryModel.of(request.sopClassUid());
    HubDimseConfig.Caller caller = config.callers().get(request.callingAeTitle());
    if (model == null || caller == null) {
      // The negotiation already refused both; kept as a second lock.
      return DimseStatus.of(DimseStatus.SOP_CLASS_NOT_SUPPORTED, "not served");
    }
    QueryModel.Level level = model.level(identifier);
    if (level == null) {
      return DimseStatus.of(
          DimseStatus.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
          "Query/Retrieve Level missing or not of this information model");
    }
    DimseIdentity identity =
        new DimseIdentity(request.callingAeTitle(), caller.organisation(), request.remoteAddress());
    try {
      return identity.call(
          () ->
              request.isFind()
                  ? find.find(level, identifier, config.aeTitle(), responder)
                  : retrieve.retrieve(request, level, identifier, caller, responder));
    } catch (ProblemException e) {
      LOG.infof(
          "DIMSE 0x%04X from %s refused: %s",
          request.commandField(), request.callingAeTitle(), e.getMessage());
      return status(e, request.isFind());
    }
  }

  static DimseStatus status(ProblemException e, boolean find) {
    ErrorCode code = e.code();
    return switch (code) {
      case CONSENT_DENIED -> DimseStatus.of(DimseStatus.NOT_AUTHORIZED, "refused by consent");
      case FORBIDDEN, SCOPE_MISSING -> DimseStatus.of(DimseStatus.NOT_AUTHORIZED, "not allowed");
      case BAD_REQUEST, INVALID_UID ->
          DimseStatus.of(DimseStatus.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage());
      case NOT_FOUND ->
          find ? DimseStatus.OK : DimseStatus.of(DimseStatus.UNABLE_TO_PROCESS, "no such study");
      default -> DimseStatus.of(DimseStatus.UNABLE_TO_PROCESS, code.code());
    };
  }
}
