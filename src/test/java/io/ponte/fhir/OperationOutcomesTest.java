package io.ponte.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import io.ponte.error.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every Ponte error code becomes a valid R4 OperationOutcome carrying the stable code. */
class OperationOutcomesTest {

    static FhirValidator validator;

    @BeforeAll
    static void validator() {
        validator = FhirValidation.build(FhirContextProducer.r4());
    }

    @Test
    void everyErrorCodeGivesAValidOperationOutcomeWithItsStableCode() {
        for (ErrorCode code : ErrorCode.values()) {
            OperationOutcome outcome = OperationOutcomes.of(code, "detail for " + code.name());
            var issue = outcome.getIssueFirstRep();
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(code.code());
            assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(OperationOutcomes.ERROR_CODE_SYSTEM);
            assertThat(issue.getDiagnostics()).startsWith(code.code()).contains("detail for");
            assertThat(validator.validateWithResult(outcome).getMessages())
                    .filteredOn(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                    .as(code.name()).isEmpty();
        }
    }

    @Test
    void serverFailuresAreFatalAndClientErrorsAreErrors() {
        assertThat(OperationOutcomes.of(ErrorCode.AUDIT_UNAVAILABLE, null).getIssueFirstRep().getSeverity())
                .isEqualTo(OperationOutcome.IssueSeverity.FATAL);
        assertThat(OperationOutcomes.of(ErrorCode.WRONG_SITE, null).getIssueFirstRep().getCode())
                .isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
        assertThat(OperationOutcomes.of(ErrorCode.NOT_FOUND, null).getIssueFirstRep().getSeverity())
                .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
    }
}
