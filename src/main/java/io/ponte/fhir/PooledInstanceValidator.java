package io.ponte.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's instance validator, with the core {@link InstanceValidator}s kept for the next call
 * instead of built per call: HAPI 8.6.5's {@code ValidatorWrapper} builds one each time, and each
 * parses the 1.5 MB OID registry ({@code OIDUtilities}): most of a small study's validation time
 * (docs/performance.md). An InstanceValidator clears its per-resource state when it starts a
 * validation; it is not thread-safe, so each is lent to one call at a time.
 *
 * <p>Handles what {@link R4Validator} asks (a JSON-encoded resource, no profile asked for by the
 * options or its {@code meta}) exactly as {@code ValidatorWrapper.validate} does: the same
 * settings, the same messages left out; anything else goes HAPI's own way. Re-check against {@code
 * ValidatorWrapper} when HAPI is upgraded ({@code PooledInstanceValidatorTest} compares the two).
 */
final class PooledInstanceValidator extends FhirInstanceValidator {

  /** Uses before a validator is dropped: its observer of the codings it has seen only grows. */
  static final int MAX_USES = 1_000;

  private record Lent(InstanceValidator validator, int uses) {}

  /** At most one per core: validation is CPU-bound, and each holds its own OID registry. */
  private final BlockingQueue<Lent> idle =
      new ArrayBlockingQueue<>(Runtime.getRuntime().availableProcessors());

  PooledInstanceValidator(IValidationSupport support) {
    super(support);
  }

  @Override
  protected List<ValidationMessage> validate(IValidationContext<?> context) {
    if (context.getResourceAsStringEncoding() != EncodingEnum.JSON
        || !context.getOptions().getProfiles().isEmpty()
        || !(context.getResource() instanceof IAnyResource resource)
        || !resource.getMeta().getProfile().isEmpty()) {
      return super.validate(context);
    }
    Lent lent = idle.poll();
    InstanceValidator validator = lent == null ? newInstanceValidator() : lent.validator();
    List<ValidationMessage> messages = new ArrayList<>();
    validator.validate(
        context.getOptions().getAppContext(),
        messages,
        new ByteArrayInputStream(context.getResourceAsString().getBytes(StandardCharsets.UTF_8)),
        Manager.FhirFormat.JSON,
        new ArrayList<>());
    int uses = lent == null ? 1 : lent.uses() + 1;
    if (uses < MAX_USES) {
      idle.offer(new Lent(validator, uses)); // dropped when as many are idle as there are cores
    }
    return hapisSelection(messages);
  }

  /** What {@code ValidatorWrapper.validate} leaves out and raises, as it does. */
  private List<ValidationMessage> hapisSelection(List<ValidationMessage> messages) {
    List<ValidationMessage> kept =
        messages.stream()
            .filter(
                m ->
                    m.getMessageId() == null
                        || !(m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                            || m.getMessageId()
                                .equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE2)
                            || (m.getMessageId()
                                    .equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                && m.getMessage()
                                    .contains("http://hl7.org/fhir/ValueSet/mimetypes"))))
            .collect(Collectors.toList()); // mutable, as HAPI's
    if (isErrorForUnknownProfiles()) {
      kept.stream()
          .filter(
              m ->
                  m.getMessageId() != null
                      && (m.getMessageId().equals(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN)
                          || m.getMessageId()
                              .equals(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY)))
          .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.WARNING)
          .forEach(m -> m.setLevel(ValidationMessage.IssueSeverity.ERROR));
    }
    return kept;
  }

  /** Built and set as {@code ValidatorWrapper.validate} builds and sets its own. */
  private InstanceValidator newInstanceValidator() {
    WorkerContextValidationSupportAdapter worker = provideWorkerContext();
    InstanceValidator v =
        new InstanceValidator(
            worker,
            new NullEvaluationContext(),
            new XVerExtensionManagerOld(worker),
            new ValidatorSession(),
            new ValidatorSettings());
    v.setAssumeValidRestReferences(isAssumeValidRestReferences());
    v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
    v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
    v.setResourceIdRule(IdStatus.OPTIONAL);
    v.setNoTerminologyChecks(isNoTerminologyChecks());
    v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
    v.setUnknownCodeSystemsCauseErrors(true);
    v.getExtensionDomains().addAll(getExtensionDomains());
    v.setFetcher(getValidatorResourceFetcher());
    v.setPolicyAdvisor(getValidatorPolicyAdvisor());
    v.setNoExtensibleWarnings(isNoExtensibleWarnings());
    v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
    v.setAllowExamples(isAllowExamples());
    v.setAllowXsiLocation(true);
    return v;
  }
}
