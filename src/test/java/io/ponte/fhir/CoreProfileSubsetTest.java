package io.ponte.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.ponte.testing.CoreValidator;
import io.ponte.testing.FhirStudies;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub's validator (R4 core cut down to what ImagingStudy and Patient need) says exactly what
 * the full core says about what nodes publish, valid or not, while holding a small part of the
 * core.
 */
class CoreProfileSubsetTest {

  static final FhirContext FHIR = FhirContextProducer.r4();

  static R4Validator subset;

  @BeforeAll
  static void build() {
    subset =
        R4Validator.forResourceTypes(FHIR, PublishedResources.TYPES, PublishedResources.EXTENSIONS);
  }

  static ImagingStudy study() {
    return FhirStudies.study("hospital-a", "MRN-7").modalities("CT", "MR").build();
  }

  static ImagingStudy with(Consumer<ImagingStudy> change) {
    ImagingStudy s = study();
    change.accept(s);
    return s;
  }

  static Patient patient(ImagingStudy s) {
    return (Patient) s.getContained().get(0);
  }

  static List<String> describe(List<SingleValidationMessage> messages) {
    return messages.stream()
        .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
        .toList();
  }

  void assertSameVerdict(IBaseResource resource, boolean valid) {
    List<String> full = describe(CoreValidator.full().messages(resource));
    assertThat(describe(subset.messages(resource))).isEqualTo(full);
    assertThat(subset.errors(resource))
        .as("errors")
        .matches(e -> e.isEmpty() == valid, valid ? "none" : "some");
  }

  @Test
  void aValidStudyWithItsContainedPatientIsValidForBoth() {
    assertSameVerdict(study(), true);
  }

  @Test
  void invalidStudiesGetTheSameMessagesFromBoth() {
    assertSameVerdict(with(s -> s.setStatus(null)), false);
    assertSameVerdict(with(s -> s.getSeriesFirstRep().setUid(null)), false);
    assertSameVerdict(with(s -> s.getSeriesFirstRep().setModality(null)), false);
    assertSameVerdict(
        with(s -> s.getSeriesFirstRep().getInstanceFirstRep().setSopClass(null)), false);
    assertSameVerdict(with(s -> s.getSubject().setReference("#nobody")), false);
    assertSameVerdict(
        with(s -> s.getIdentifierFirstRep().setSystem("not a uri with spaces")), false);
    assertSameVerdict(with(s -> s.getStatusElement().setValueAsString(null)), false);
    assertSameVerdict(
        with(s -> s.addExtension(new Extension("http://example.org/unknown", new StringType("x")))),
        true);
    assertSameVerdict(
        with(
            s ->
                patient(s)
                    .getGenderElement()
                    .setValue(null)
                    .addExtension(new Extension("http://example.org/x"))),
        false);
    assertSameVerdict(
        with(s -> patient(s).addContact().setGender(AdministrativeGender.OTHER)), false); // pat-1
    assertSameVerdict(
        with(
            s ->
                patient(s)
                    .getIdentifierFirstRep()
                    .getType()
                    .addCoding(
                        new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "NOPE", null))),
        false);
    assertSameVerdict(
        with(
            s ->
                s.getSeriesFirstRep()
                    .setLaterality(new Coding("http://snomed.info/sct", "7771000", null))),
        true);
    assertSameVerdict(with(s -> s.getModalityFirstRep().setSystem(null)), true);
  }

  /**
   * The ideographic and phonetic groups of a DICOM PatientName, published as more HumanNames marked
   * with the core ISO 21090 representation extension: checked as the full core checks it.
   */
  @Test
  void aNameRepresentationIsCheckedAsTheFullCoreChecksIt() {
    assertSameVerdict(withIdeographicName(new CodeType("IDE")), true);
    assertSameVerdict(withIdeographicName(new CodeType("KANJI")), false);
    assertSameVerdict(withIdeographicName(new StringType("IDE")), false);
  }

  private ImagingStudy withIdeographicName(Type representation) {
    return with(
        s ->
            patient(s)
                .addName()
                .setFamily("山田")
                .addExtension(
                    "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation",
                    representation));
  }

  @Test
  void aContainedResourceOfAnotherTypeIsReportedNotIgnored() {
    ImagingStudy s =
        with(
            x -> {
              Organization org = new Organization();
              org.setId("org");
              org.setName("Elsewhere");
              x.addContained(org);
              x.addInterpreter(new Reference("#org"));
            });
    assertThat(subset.errors(s)).isNotEmpty();
  }

  @Test
  void holdsAFractionOfTheCore() {
    int core = new DefaultProfileValidationSupport(FHIR).fetchAllStructureDefinitions().size();
    var held =
        CoreProfileSubset.of(FHIR, PublishedResources.TYPES, PublishedResources.EXTENSIONS)
            .fetchAllConformanceResources()
            .stream()
            .filter(r -> r.fhirType().equals("StructureDefinition"))
            .count();
    assertThat(held).isGreaterThan(50).isLessThan(core / 4);
  }
}
