package io.ponte.hub.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import io.ponte.error.ErrorCode;
import io.ponte.testing.CoreValidator;
import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * Every Ponte error code becomes a valid R4 OperationOutcome carrying the stable code.
 * (A @QuarkusTest only because HAPI's validator must load in the same class loader as the Quarkus
 * tests that run in this JVM.)
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class OperationOutcomesTest {

  @Test
  void everyErrorCodeGivesAValidOperationOutcomeWithItsStableCode() {
    for (ErrorCode code : ErrorCode.values()) {
      OperationOutcome outcome = OperationOutcomes.of(code, "detail for " + code.name());
      var issue = outcome.getIssueFirstRep();
      assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(code.code());
      assertThat(issue.getDetails().getCodingFirstRep().getSystem())
          .isEqualTo(OperationOutcomes.ERROR_CODE_SYSTEM);
      assertThat(issue.getDiagnostics()).startsWith(code.code()).contains("detail for");
      assertThat(CoreValidator.full().messages(outcome))
          .filteredOn(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
          .as(code.name())
          .isEmpty();
    }
  }

  @Test
  void serverFailuresAreFatalAndClientErrorsAreErrors() {
    assertThat(
            OperationOutcomes.of(ErrorCode.AUDIT_UNAVAILABLE, null)
                .getIssueFirstRep()
                .getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.FATAL);
    assertThat(OperationOutcomes.of(ErrorCode.WRONG_SITE, null).getIssueFirstRep().getCode())
        .isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
    assertThat(OperationOutcomes.of(ErrorCode.NOT_FOUND, null).getIssueFirstRep().getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
  }
}
