package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.publish.Delivery.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  @Test
  void createdAndUpdatedAreDelivered() {
    assertThat(Delivery.of(201, "", Optional.empty()).kind()).isEqualTo(Kind.DELIVERED);
    assertThat(Delivery.of(200, "", Optional.empty()).kind()).isEqualTo(Kind.DELIVERED);
  }

  @Test
  void serverErrorsAndTimeoutsAreTransient() {
    for (int status : new int[] {500, 502, 503, 504, 408}) {
      assertThat(Delivery.of(status, "", Optional.empty()).kind())
          .as("HTTP %d", status)
          .isEqualTo(Kind.UNAVAILABLE);
    }
    assertThat(Delivery.unreachable("ConnectException").kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void unexpectedSuccessOrRedirectIsNotTakenForDelivery() {
    assertThat(Delivery.of(204, "", Optional.empty()).delivered()).isFalse();
    assertThat(Delivery.of(302, "", Optional.empty()).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void aStudyOwnedByAnotherSiteIsAFinalRefusalAnyOtherConflictIsNot() {
    Delivery owned =
        Delivery.of(409, "{\"code\":\"ponte:study-owned-by-another-site\"}", Optional.empty());
    assertThat(owned.kind()).isEqualTo(Kind.REFUSED);
    assertThat(owned.refusalReason()).isEqualTo("ponte:study-owned-by-another-site");
    Delivery conflict = Delivery.of(409, "{\"code\":\"ponte:conflict\"}", Optional.empty());
    assertThat(conflict.kind()).isEqualTo(Kind.REJECTED);
    assertThat(conflict.refusalReason()).isNull();
    // The code alone does not make a transient answer final.
    assertThat(
            Delivery.of(503, "{\"code\":\"ponte:study-owned-by-another-site\"}", Optional.empty())
                .kind())
        .isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void unauthorizedAndThrottledAreTheirOwnCases() {
    assertThat(Delivery.of(401, "", Optional.empty()).kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(Delivery.of(429, "", Optional.empty()).kind()).isEqualTo(Kind.THROTTLED);
  }

  @Test
  void otherClientErrorsAreRejectionsWithTheHubsAnswerKept() {
    for (int status : new int[] {400, 403, 404, 409, 412, 422}) {
      Delivery delivery =
          Delivery.of(status, "{\"resourceType\":\"OperationOutcome\"}", Optional.empty());
      assertThat(delivery.kind()).as("HTTP %d", status).isEqualTo(Kind.REJECTED);
      assertThat(delivery.detail()).contains("HTTP " + status).contains("OperationOutcome");
    }
  }
}
