package io.ponte.hub.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.ponte.fhir.PublishedResources;
import io.ponte.fhir.R4Validator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.jboss.logging.Logger;

/**
 * The hub's validation of what nodes publish: ImagingStudy, with its Patient contained, against the
 * R4 core specification. Only those types' part of the core is loaded ({@link
 * R4Validator#forResourceTypes}): the whole core would hold some 180 MB of a hub heap its DICOMweb
 * proxy needs. The validator loads on first use (seconds), so it is built once, lazily, and shared:
 * it is thread-safe. A hub warms it in the background at start and is not ready until it has
 * ({@link FhirValidatorReadinessCheck}), so the first publishes after a restart do not time out at
 * the node.
 */
@ApplicationScoped
public class FhirValidation {

  /** What a node publishes. A resource of another type fails validation as an unknown profile. */
  public static final Set<String> ACCEPTED_TYPES = PublishedResources.TYPES;

  private static final Logger LOG = Logger.getLogger(FhirValidation.class);

  @Inject FhirContext context;

  @Inject io.ponte.role.PonteConfig ponte;

  private volatile R4Validator validator;

  private volatile boolean warm;

  private volatile String warmUpFailure;

  /**
   * Loads the profiles in the background at hub start, so the first publish does not pay for it.
   */
  void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    if (ponte.isHub()) {
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

  /**
   * Builds the validator and validates an empty resource of each accepted type (idempotent, fast
   * once warm).
   */
  public void warm() {
    try {
      validator().messages(new org.hl7.fhir.r4.model.ImagingStudy());
      validator().messages(new org.hl7.fhir.r4.model.Patient());
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
    return validator().errors(resource);
  }

  private R4Validator validator() {
    R4Validator v = validator;
    if (v == null) {
      synchronized (this) {
        v = validator;
        if (v == null) {
          v = R4Validator.forResourceTypes(context, ACCEPTED_TYPES, PublishedResources.EXTENSIONS);
          validator = v;
        }
      }
    }
    return v;
  }
}
