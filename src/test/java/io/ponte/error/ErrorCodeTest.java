package io.ponte.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void everyCodeIsStableAndUnique() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
        .doesNotHaveDuplicates()
        .allMatch(c -> c.matches("ponte:[a-z]+(-[a-z]+)*"));
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(ErrorCode.ofCode(c.code())).isSameAs(c);
    }
    assertThat(ErrorCode.ofCode("ponte:no-such-thing")).isNull();
    assertThat(ErrorCode.ofCode("consent-denied")).isNull();
    assertThat(ErrorCode.ofCode(null)).isNull();
  }

  @Test
  void aCommentBeginsWithTheCode() {
    assertThat(ErrorCode.INVALID_DICOM.comment("truncated"))
        .isEqualTo("ponte:invalid-dicom: truncated");
    assertThat(ErrorCode.CONFLICT.comment(null)).isEqualTo("ponte:conflict");
  }

  @Test
  void eachHttpStatusMapsToOneGenericCode() {
    assertThat(ErrorCode.forStatus(202)).isEqualTo(ErrorCode.BEING_RESTORED);
    assertThat(ErrorCode.forStatus(400)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(ErrorCode.forStatus(401)).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(ErrorCode.forStatus(403)).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(ErrorCode.forStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(ErrorCode.forStatus(405)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(ErrorCode.forStatus(409)).isEqualTo(ErrorCode.CONFLICT);
    assertThat(ErrorCode.forStatus(413)).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(ErrorCode.forStatus(415)).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    assertThat(ErrorCode.forStatus(502)).isEqualTo(ErrorCode.INTERNAL);
    // Every client-error code's status maps back to a code of that status.
    for (ErrorCode c : ErrorCode.values()) {
      if (c.status() < 500) {
        assertThat(ErrorCode.forStatus(c.status()).status()).as(c.name()).isEqualTo(c.status());
      }
    }
  }

  @Test
  void aSiteRefusingTheHubIsTheSiteBeingUnavailableNotTheCallerUnauthorised() {
    assertThat(ErrorCode.forSiteStatus(401)).isEqualTo(ErrorCode.SITE_UNAVAILABLE);
    assertThat(ErrorCode.forSiteStatus(403)).isEqualTo(ErrorCode.SITE_UNAVAILABLE);
    assertThat(ErrorCode.forSiteStatus(500)).isEqualTo(ErrorCode.SITE_UNAVAILABLE);
    assertThat(ErrorCode.forSiteStatus(503)).isEqualTo(ErrorCode.SITE_UNAVAILABLE);
    assertThat(ErrorCode.forSiteStatus(504)).isEqualTo(ErrorCode.SITE_TIMEOUT);
    assertThat(ErrorCode.forSiteStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(ErrorCode.forSiteStatus(400)).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void aQuotedValueIsPrintableAsciiAndShort() {
    assertThat(ErrorDetails.quote(null)).isEqualTo("(empty)");
    assertThat(ErrorDetails.quote("1.2\u0000<b>\u00e9")).isEqualTo("1.2?<b>?");
    assertThat(ErrorDetails.quote("x".repeat(100))).isEqualTo("x".repeat(70) + "...");
    assertThat(ErrorDetails.quote("y".repeat(70))).isEqualTo("y".repeat(70));
  }
}
