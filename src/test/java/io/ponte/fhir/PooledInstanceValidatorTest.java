package io.ponte.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.ponte.testing.FhirStudies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pooled validator says exactly what HAPI's own says, call after call on the same pooled
 * validators (nothing of one resource leaks into the next one's messages) and from several threads
 * at once.
 */
class PooledInstanceValidatorTest {

  static final FhirContext FHIR = FhirContextProducer.r4();

  static FhirValidator hapis;

  static FhirValidator pooled;

  @BeforeAll
  static void build() {
    IValidationSupport profiles =
        CoreProfileSubset.of(FHIR, PublishedResources.TYPES, PublishedResources.EXTENSIONS);
    hapis = validator(new FhirInstanceValidator(chain(profiles)));
    pooled = validator(new PooledInstanceValidator(chain(profiles)));
  }

  static ValidationSupportChain chain(IValidationSupport profiles) {
    return new ValidationSupportChain(
        profiles,
        new InMemoryTerminologyServerValidationSupport(FHIR),
        new CommonCodeSystemsTerminologyService(FHIR));
  }

  static FhirValidator validator(IValidatorModule module) {
    FhirValidator v = FHIR.newValidator();
    v.registerValidatorModule(module);
    return v;
  }

  static ImagingStudy with(Consumer<ImagingStudy> change) {
    ImagingStudy s = FhirStudies.study("hospital-a", "MRN-7").modalities("CT", "MR").build();
    change.accept(s);
    return s;
  }

  /** Valid and invalid resources, and ones HAPI's own path handles (a profile in meta). */
  static List<IBaseResource> resources() {
    Patient profiled = new Patient();
    profiled.getMeta().addProfile("http://example.org/StructureDefinition/unknown");
    return List.of(
        with(s -> {}),
        with(s -> s.setStatus(null)),
        with(s -> s.getSeriesFirstRep().setUid("not an oid!")),
        with(s -> s.getSubject().setReference("#nobody")),
        with(s -> s.addExtension(new Extension("http://example.org/unknown", new StringType("x")))),
        with(s -> ((Patient) s.getContained().get(0)).getNameFirstRep().setFamily(null)),
        with(s -> {}),
        profiled,
        new Endpoint(),
        new Patient());
  }

  static List<String> describe(FhirValidator validator, IBaseResource resource) {
    List<String> described = new ArrayList<>();
    for (SingleValidationMessage m : validator.validateWithResult(resource).getMessages()) {
      described.add(
          m.getSeverity()
              + " "
              + m.getLocationString()
              + " "
              + m.getMessageId()
              + ": "
              + m.getMessage());
    }
    return described;
  }

  @Test
  void saysWhatHapisOwnSaysCallAfterCall() {
    List<IBaseResource> resources = resources();
    List<List<String>> expected = resources.stream().map(r -> describe(hapis, r)).toList();
    assertThat(expected.get(0))
        .as("the valid study: no error")
        .noneMatch(m -> m.startsWith("ERROR"));
    assertThat(expected.get(1)).as("without status: an error").anyMatch(m -> m.startsWith("ERROR"));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < resources.size(); i++) {
        assertThat(describe(pooled, resources.get(i)))
            .as("resource %d, round %d", i, round)
            .isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void saysTheSameFromSeveralThreadsAtOnce() throws Exception {
    List<IBaseResource> resources = resources();
    List<List<String>> expected = resources.stream().map(r -> describe(hapis, r)).toList();
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int offset = t;
        running.add(
            threads.submit(
                () -> {
                  for (int k = 0; k < 40; k++) {
                    int i = (offset + k) % resources.size();
                    assertThat(describe(pooled, resources.get(i)))
                        .as("resource %d", i)
                        .isEqualTo(expected.get(i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
