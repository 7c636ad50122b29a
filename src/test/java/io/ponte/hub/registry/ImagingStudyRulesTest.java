package io.ponte.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.identity.Demographics;
import io.ponte.hub.site.HubSites;
import io.ponte.testing.FhirStudies;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** What a node may publish, and how the hub rewrites it before anyone sees it. */
class ImagingStudyRulesTest {

  record Site(String id, String name) implements HubSites.Site {
    public Optional<String> patientIdentifierSystem() {
      return Optional.empty();
    }
  }

  static final HubSites SITES =
      () -> List.of(new Site("hospital-a", "Hospital A"), new Site("hospital-b", "Hospital B"));
  static final HubSites.Site A = SITES.site("hospital-a").orElseThrow();

  static ErrorCode refusal(ImagingStudy study) {
    try {
      ImagingStudyRules.check(study, SITES, A);
      return null;
    } catch (ProblemException e) {
      return e.code();
    }
  }

  @Test
  void acceptsAWellFormedStudyAndCollectsItsFacts() {
    var builder = FhirStudies.study("hospital-a", "MRN-1").modalities("CT", "MR");
    var facts = ImagingStudyRules.check(builder.build(), SITES, A);
    assertThat(facts.uid()).isEqualTo(builder.uidValue());
    assertThat(facts.patient().value()).isEqualTo("MRN-1");
    assertThat(facts.modalities()).containsExactly("CT", "MR");
    assertThat(facts.demographics().family()).isEqualTo("Silva");
    assertThat(facts.demographics().birthDate()).hasToString("1970-01-02");
  }

  /**
   * The names after the first marked with their ISO 21090 representation are the DICOM name's other
   * component groups; an unmarked one (a maiden name) is not, and an overlong one is refused.
   */
  @Test
  void collectsTheOtherComponentGroupsOfTheName() {
    ImagingStudy study =
        FhirStudies.study("hospital-a", "MRN-1")
            .name("Yamada", "Tarou")
            .otherName("IDE", "山田", "太郎")
            .otherName("SYL", "やまだ", "たろう")
            .build();
    ((org.hl7.fhir.r4.model.Patient) study.getContained().get(0)).addName().setFamily("Maiden");
    assertThat(ImagingStudyRules.check(study, SITES, A).demographics().otherNames())
        .containsExactly(
            new Demographics.Name("IDE", "山田", "太郎"), new Demographics.Name("SYL", "やまだ", "たろう"));
    assertThat(
            refusal(
                FhirStudies.study("hospital-a", "MRN-1")
                    .otherName("IDE", "山".repeat(201), "太郎")
                    .build()))
        .isEqualTo(ErrorCode.INVALID_RESOURCE);
    // Its representation says which group it is (the answers place it by it): only ISO 21090 codes.
    assertThat(
            refusal(FhirStudies.study("hospital-a", "MRN-1").otherName("KAN", "山田", "太郎").build()))
        .isEqualTo(ErrorCode.INVALID_RESOURCE);
  }

  @Test
  void deniesAStudyOfAnotherSitesPatient() {
    assertThat(refusal(FhirStudies.study("hospital-b", "MRN-1").build()))
        .isEqualTo(ErrorCode.WRONG_SITE);
  }

  @Test
  void refusesBadUidsAndMissingParts() {
    ImagingStudy badStudyUid = FhirStudies.study("hospital-a", "M").build();
    badStudyUid.getIdentifierFirstRep().setValue("urn:oid:1.02.3");
    assertThat(refusal(badStudyUid)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy tooLong = FhirStudies.study("hospital-a", "M").build();
    tooLong.getIdentifierFirstRep().setValue("urn:oid:1." + "1".repeat(70));
    assertThat(refusal(tooLong)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy twoUids = FhirStudies.study("hospital-a", "M").build();
    twoUids.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:1.2.3");
    assertThat(refusal(twoUids)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy repeatedInstance = FhirStudies.study("hospital-a", "M").build();
    var series = repeatedInstance.getSeriesFirstRep();
    series.getInstance().get(1).setUid(series.getInstance().get(0).getUid());
    assertThat(refusal(repeatedInstance)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy noSop = FhirStudies.study("hospital-a", "M").build();
    noSop.getSeriesFirstRep().getInstanceFirstRep().setSopClass(null);
    assertThat(refusal(noSop)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy unknownSystem = FhirStudies.study("hospital-a", "M").build();
    unknownSystem.getSubject().getIdentifier().setSystem("urn:example:elsewhere");
    assertThat(refusal(unknownSystem)).isEqualTo(ErrorCode.INVALID_RESOURCE);
    ImagingStudy badInstanceCount = FhirStudies.study("hospital-a", "M").build();
    badInstanceCount.setNumberOfInstances(99);
    assertThat(refusal(badInstanceCount)).isEqualTo(ErrorCode.INVALID_RESOURCE);
  }

  @Test
  void normalisingReplacesSubjectAndEndpointsAndDropsNodeReferences() {
    ImagingStudy study = FhirStudies.study("hospital-a", "MRN-9").build();
    study.setReferrer(new Reference("Practitioner/node-local-17").setDisplay("Dr Who"));
    study.addBasedOn(new Reference("ServiceRequest/abc"));
    var facts = ImagingStudyRules.check(study, SITES, A);
    ImagingStudyRules.normalize(study, facts, "patient-1", "hospital-a");
    assertThat(study.getContained()).isEmpty();
    assertThat(study.getSubject().getReference()).isEqualTo("Patient/patient-1");
    assertThat(study.getSubject().getIdentifier().getValue()).isEqualTo("MRN-9");
    assertThat(study.getEndpoint())
        .extracting(Reference::getReference)
        .containsExactly("Endpoint/hospital-a-dicomweb");
    assertThat(study.getSeries()).allSatisfy(s -> assertThat(s.getEndpoint()).isEmpty());
    assertThat(study.getReferrer().getReference()).isNull();
    assertThat(study.getReferrer().getDisplay()).isEqualTo("Dr Who");
    assertThat(study.getBasedOn()).isEmpty();
  }

  @Test
  void uidRuleIsDigitsAndDotsWithoutLeadingZerosAtMost64() {
    assertThat(ImagingStudyRules.isUid("1.2.840.10008.1.2")).isTrue();
    assertThat(ImagingStudyRules.isUid("2.25.0")).isTrue();
    assertThat(ImagingStudyRules.isUid("1.2.03")).isFalse();
    assertThat(ImagingStudyRules.isUid("1..2")).isFalse();
    assertThat(ImagingStudyRules.isUid("1.2.")).isFalse();
    assertThat(ImagingStudyRules.isUid("../etc")).isFalse();
    assertThat(ImagingStudyRules.isUid("1." + "2".repeat(63))).isFalse();
    assertThatThrownBy(() -> ImagingStudyRules.uidOf("1.2.3").orElseThrow())
        .isInstanceOf(java.util.NoSuchElementException.class);
  }
}
