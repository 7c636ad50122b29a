package io.ponte.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.jboss.logging.Logger;

/**
 * Validates resources against the R4 core specification (structure, cardinality, required bindings). The
 * validator loads the core profiles on first use (seconds), so it is built once, lazily, and shared: it is
 * thread-safe. A hub warms it in the background at start and is not ready until it has
 * ({@link FhirValidatorReadinessCheck}), so the first publishes after a restart do not time out at the node.
 */
@ApplicationScoped
public class FhirValidation {

    private static final Logger LOG = Logger.getLogger(FhirValidation.class);

    @Inject
    FhirContext context;

    @Inject
    io.ponte.role.PonteConfig ponte;

    private volatile FhirValidator validator;

    private volatile boolean warm;

    private volatile String warmUpFailure;

    /** Loads the core profiles in the background at hub start, so the first publish does not pay for it. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        if (ponte.role() == io.ponte.role.Role.HUB) {
            Thread warm = new Thread(this::warmInBackground, "fhir-validator-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
    }

    private void warmInBackground() {
        try {
            warm();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the FHIR validator could not be loaded; the hub stays not ready");
        }
    }

    /** Builds the validator and validates one of each resource type the hub handles (idempotent, fast once warm). */
    public void warm() {
        try {
            for (IBaseResource r : List.<IBaseResource>of(new org.hl7.fhir.r4.model.ImagingStudy(),
                    new org.hl7.fhir.r4.model.Bundle(), new org.hl7.fhir.r4.model.Patient(),
                    new org.hl7.fhir.r4.model.OperationOutcome())) {
                validator().validateWithResult(r);
            }
        } catch (RuntimeException e) {
            warmUpFailure = String.valueOf(e);
            throw e;
        }
        warmUpFailure = null;
        warm = true;
    }

    /** Whether {@link #warm()} has completed: validating is then fast. */
    public boolean isWarm() {
        return warm;
    }

    /** Why the last warm-up failed; empty when it has not failed (yet). */
    public java.util.Optional<String> warmUpFailure() {
        return java.util.Optional.ofNullable(warmUpFailure);
    }

    /** Error and fatal messages only ("location: message"); empty when the resource is valid R4. */
    public List<String> errors(IBaseResource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirValidation::describe).toList();
    }

    /** All messages, for tests that want to see warnings too. */
    public List<SingleValidationMessage> messages(IBaseResource resource) {
        return validator().validateWithResult(resource).getMessages();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getLocationString() + ": " + m.getMessage();
    }

    private FhirValidator validator() {
        FhirValidator v = validator;
        if (v == null) {
            synchronized (this) {
                v = validator;
                if (v == null) {
                    v = build(context);
                    validator = v;
                }
            }
        }
        return v;
    }

    public static FhirValidator build(FhirContext context) {
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context), new CommonCodeSystemsTerminologyService(context));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        FhirValidator validator = context.newValidator();
        validator.registerValidatorModule(module);
        return validator;
    }
}
