package io.ponte.hub.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each reason SendJobs, StowUpload and StowTokens record is told apart by its kind. */
class SendFailureTest {

  @Test
  void aJobWithoutAReasonDidNotFail() {
    assertThat(SendFailure.of(null)).isNull();
    assertThat(SendFailure.of("")).isNull();
  }

  @Test
  void eachRecordedReasonHasTheKindAClinicianCanActOn() {
    Map<String, SendFailure> recorded =
        Map.of(
            "interrupted by a restart of the hub; send it again",
            SendFailure.INTERRUPTED,
            "the audit trail is unavailable: nothing was sent",
            SendFailure.AUDIT_UNAVAILABLE,
            "the PACS CLINIC_NORTE at 10.0.0.5:104 did not accept an association: Connection"
                + " refused",
            SendFailure.PACS_UNREACHABLE,
            "the connection to the PACS CLINIC_NORTE broke off: Broken pipe",
            SendFailure.CONNECTION_LOST,
            "2 of 5 instances were not stored (not fetched from the site, or refused by the PACS)",
            SendFailure.NOT_ALL_STORED,
            "the token endpoint https://idp.example/token refused the client credentials (HTTP"
                + " 401)",
            SendFailure.PACS_UNREACHABLE,
            "the hub failed while sending (NullPointerException)",
            SendFailure.OTHER,
            "interrupted",
            SendFailure.OTHER);
    recorded.forEach(
        (reason, kind) -> assertThat(SendFailure.of(reason)).as(reason).isEqualTo(kind));
  }

  /** An AE title may hold spaces (PS3.5 AE VR); a STOW-RS answer that refused some is partial. */
  @Test
  void aTitleWithSpacesAndEachStowAnswerHaveTheirKind() {
    Map<String, SendFailure> recorded =
        Map.of(
            "the PACS CLINIC NORTE at 10.0.0.5:104 did not accept an association: Connection"
                + " refused",
            SendFailure.PACS_UNREACHABLE,
            "the connection to the PACS CLINIC NORTE broke off: Broken pipe",
            SendFailure.CONNECTION_LOST,
            "the STOW-RS endpoint https://pacs.example/studies answered 202: 2 refused",
            SendFailure.NOT_ALL_STORED,
            "the STOW-RS endpoint https://pacs.example/studies answered 409: 5 refused",
            SendFailure.NOT_ALL_STORED,
            "the STOW-RS endpoint https://pacs.example/studies answered 500",
            SendFailure.PACS_UNREACHABLE,
            "the STOW-RS endpoint https://pacs.example/studies answered 401 before the end",
            SendFailure.PACS_UNREACHABLE,
            "the STOW-RS endpoint https://pacs.example/studies could not be reached: timed out",
            SendFailure.PACS_UNREACHABLE);
    recorded.forEach(
        (reason, kind) -> assertThat(SendFailure.of(reason)).as(reason).isEqualTo(kind));
  }
}
