package io.ponte.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.dicom.DicomValueTooLongException;
import io.ponte.dicom.UnknownTransferSyntaxException;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoreException.Reason;
import io.ponte.node.storage.StudyMismatchException;
import org.junit.jupiter.api.Test;

class StoreRefusalTest {

  private static StoreException parseFailure(Exception cause) {
    return new StoreException(
        Reason.INVALID_DATA, "not readable as DICOM: " + cause.getMessage(), cause);
  }

  @Test
  void everyStoreReasonHasOneRow() {
    for (Reason r : Reason.values()) {
      assertThat(StoreRefusal.of(new StoreException(r, "x"))).as(r.name()).isNotNull();
    }
    assertThat(StoreRefusal.of(new StudyMismatchException("other study")))
        .isEqualTo(StoreRefusal.STUDY_MISMATCH);
  }

  @Test
  void theCodecsOwnRefusalsAreToldApartFromInvalidData() {
    StoreException tooLong =
        parseFailure(new DicomValueTooLongException(114, 0x00091010, 1L << 28, 1L << 24, "x"));
    assertThat(StoreRefusal.of(tooLong)).isEqualTo(StoreRefusal.ELEMENT_TOO_LARGE);
    assertThat(StoreRefusal.detail(tooLong)).startsWith("value of (0009,1010) is 268435456 bytes");
    StoreException unknownTs = parseFailure(new UnknownTransferSyntaxException(300, "1.2.3"));
    assertThat(StoreRefusal.of(unknownTs)).isEqualTo(StoreRefusal.TRANSFER_SYNTAX_NOT_SUPPORTED);
    assertThat(StoreRefusal.of(unknownTs).stowFailureReason()).isEqualTo(0xC122);
    assertThat(StoreRefusal.of(new StoreException(Reason.INVALID_DATA, "truncated")))
        .isEqualTo(StoreRefusal.INVALID_DATA);
  }

  @Test
  void everyDimseAnswerIsAFailureWhoseCommentBeginsWithItsCode() {
    for (StoreRefusal r : StoreRefusal.values()) {
      DimseStatus status = r.dimse("because");
      assertThat(status.isSuccess()).isFalse();
      assertThat(status.errorComment()).isEqualTo(r.errorCode().code() + ": because");
      assertThat(r.stowFailureReason()).isNotZero();
    }
  }
}
