package io.ponte.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's instance validator against the R4 core specification (structure, cardinality, invariants,
 * required bindings), either all of it or the part a few resource types need ({@link
 * CoreProfileSubset}). Thread-safe; building one loads the profiles (seconds), so callers build it
 * once.
 */
public final class R4Validator {

  private final FhirValidator validator;

  private R4Validator(FhirContext context, IValidationSupport profiles) {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            profiles,
            new InMemoryTerminologyServerValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context));
    validator = context.newValidator();
    validator.registerValidatorModule(new PooledInstanceValidator(chain));
  }

  /**
   * Validates any R4 resource; keeps all of the core specification in memory (about 180 MB once
   * used).
   */
  public static R4Validator fullCore(FhirContext context) {
    return new R4Validator(context, new DefaultProfileValidationSupport(context));
  }

  /**
   * Validates {@code resourceTypes} (and resources of those types contained in them) as {@link
   * #fullCore} would, with a fraction of its memory; any other type is reported as an unknown
   * profile, and a core extension not among {@code extensions} as unknown (not checked).
   */
  public static R4Validator forResourceTypes(
      FhirContext context, Set<String> resourceTypes, Set<String> extensions) {
    return new R4Validator(context, CoreProfileSubset.of(context, resourceTypes, extensions));
  }

  /** Error and fatal messages only ("location: message"); empty when the resource is valid R4. */
  public List<String> errors(IBaseResource resource) {
    return messages(resource).stream()
        .filter(
            m ->
                m.getSeverity() == ResultSeverityEnum.ERROR
                    || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }

  /** All messages, warnings and information included. */
  public List<SingleValidationMessage> messages(IBaseResource resource) {
    return validator.validateWithResult(resource).getMessages();
  }
}
