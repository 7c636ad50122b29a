package io.ponte.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import io.ponte.fhir.CoreProfileSubset;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.fhir.PublishedResources;
import io.ponte.fhir.R4Validator;
import io.ponte.testing.FhirStudies;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the hub pays to validate one publication (an ImagingStudy of two series, 4 or 50 instances,
 * with its Patient contained), with {@link R4Validator} (its InstanceValidators kept between calls)
 * and with HAPI's own {@code FhirInstanceValidator} on the same profiles (one built per call). Run:
 * {@code mvn -B -Pbench test-compile exec:exec
 * -Dbench.main=io.ponte.fhir.bench.ValidationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ValidationBenchmark {

  /** Instances in the study: a radiograph's few, or a CT series' fifty. */
  @Param({"4", "50"})
  int instances;

  R4Validator ponte;
  FhirValidator hapis;
  ImagingStudy study;

  @Setup
  public void setUp() {
    FhirContext fhir = FhirContextProducer.r4();
    ponte =
        R4Validator.forResourceTypes(fhir, PublishedResources.TYPES, PublishedResources.EXTENSIONS);
    IValidationSupport profiles =
        CoreProfileSubset.of(fhir, PublishedResources.TYPES, PublishedResources.EXTENSIONS);
    hapis = fhir.newValidator();
    hapis.registerValidatorModule(
        new FhirInstanceValidator(
            new ValidationSupportChain(
                profiles,
                new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir))));
    study = FhirStudies.study("hospital-a", "MRN-7").modalities("CT", "MR").build();
    ImagingStudy.ImagingStudySeriesComponent series = study.getSeriesFirstRep();
    for (int i = 5; i <= instances; i++) { // the builder gives two series of two
      series
          .addInstance()
          .setUid(FhirStudies.uid())
          .setNumber(i)
          .setSopClass(series.getInstanceFirstRep().getSopClass().copy());
    }
    series.setNumberOfInstances(series.getInstance().size());
    study.setNumberOfInstances(instances);
  }

  @Benchmark
  public Object r4Validator() {
    return ponte.messages(study);
  }

  @Benchmark
  public Object hapisInstanceValidator() {
    return hapis.validateWithResult(study).getMessages();
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(ValidationBenchmark.class.getSimpleName()).build())
        .run();
  }
}
