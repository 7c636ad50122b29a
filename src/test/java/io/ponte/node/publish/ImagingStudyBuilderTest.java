package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.fhir.PublishedResources;
import io.ponte.fhir.R4Validator;
import io.ponte.node.index.StudySnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ImagingStudyBuilderTest {

  static final FhirContext FHIR = FhirContextProducer.r4();
  static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");
  static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String SR = "1.2.840.10008.5.1.4.1.1.88.22";
  static R4Validator validator;

  final ImagingStudyBuilder builder =
      new ImagingStudyBuilder("hospital-a", "urn:ponte:site:hospital-a:mrn", LISBON);

  @BeforeAll
  static void validator() {
    // The validator the hub runs on what it receives: FhirInstanceValidator against R4 core.
    validator =
        R4Validator.forResourceTypes(FHIR, PublishedResources.TYPES, PublishedResources.EXTENSIONS);
  }

  static StudySnapshot ctStudy() {
    return new StudySnapshot(
        STUDY,
        "MRN-0042",
        "HOSPA",
        "Doe^Jane^Q^Dr^III",
        "19700215",
        "F",
        "20240305",
        "143015.123456",
        "ACC-7",
        "S1",
        "CT thorax",
        "House^Gregory",
        Instant.parse("2024-03-05T14:40:00Z"),
        List.of(
            new StudySnapshot.Series(
                STUDY + ".2",
                "SR",
                2,
                "Report",
                List.of(new StudySnapshot.Instance(STUDY + ".2.1", SR, 1))),
            new StudySnapshot.Series(
                STUDY + ".1",
                "CT",
                1,
                "Axial 1mm",
                List.of(
                    new StudySnapshot.Instance(STUDY + ".1.3", CT, 3),
                    new StudySnapshot.Instance(STUDY + ".1.1", CT, 1),
                    new StudySnapshot.Instance(STUDY + ".1.2", CT, 2)))));
  }

  static StudySnapshot with(StudySnapshot s, String patientId, String date, String time) {
    return new StudySnapshot(
        s.studyInstanceUid(),
        patientId,
        s.issuerOfPatientId(),
        s.patientName(),
        s.patientBirthDate(),
        s.patientSex(),
        date,
        time,
        s.accessionNumber(),
        s.studyId(),
        s.studyDescription(),
        s.referringPhysicianName(),
        s.lastReceivedAt(),
        s.series());
  }

  static List<String> errors(ImagingStudy study) {
    return validator.errors(study);
  }

  @Nested
  @DisplayName("a complete study")
  class Complete {

    @Test
    void isValidR4WithoutErrors() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(errors(study)).isEmpty();
      // and still valid once serialised and parsed back, as the hub receives it
      ImagingStudy parsed =
          FHIR.newJsonParser()
              .parseResource(
                  ImagingStudy.class, FHIR.newJsonParser().encodeResourceToString(study));
      assertThat(errors(parsed)).isEmpty();
    }

    @Test
    void isNamedByItsStudyInstanceUidAsAnOid() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getIdentifier())
          .filteredOn(i -> "urn:dicom:uid".equals(i.getSystem()))
          .singleElement()
          .satisfies(i -> assertThat(i.getValue()).isEqualTo("urn:oid:" + STUDY));
      assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    }

    @Test
    void namesThePatientByTheSitesLocalIdentifier() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getSubject().getIdentifier().getSystem())
          .isEqualTo("urn:ponte:site:hospital-a:mrn");
      assertThat(study.getSubject().getIdentifier().getValue()).isEqualTo("MRN-0042");
      assertThat(study.getSubject().getIdentifier().getAssigner().getDisplay()).isEqualTo("HOSPA");
      assertThat(study.getSubject().getDisplay()).isEqualTo("Dr Jane Q Doe III");
      Patient patient = (Patient) study.getContained().get(0);
      assertThat(study.getSubject().getReference())
          .isEqualTo("#" + patient.getIdElement().getIdPart());
      assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Doe");
      assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jane Q");
      assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1970-02-15");
      assertThat(patient.getGender().toCode()).isEqualTo("female");
    }

    @Test
    void startsAtStudyDateAndTimeInTheSitesZoneToTheMillisecond() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getStartedElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.MILLI);
      assertThat(study.getStartedElement().getValueAsString())
          .isEqualTo("2024-03-05T14:30:15.123+00:00");
      ImagingStudy summer = builder.build(with(ctStudy(), "MRN-0042", "20240705", "0930"));
      assertThat(summer.getStartedElement().getValueAsString())
          .isEqualTo("2024-07-05T09:30:00+01:00");
      assertThat(summer.getStartedElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.SECOND);
    }

    @Test
    void listsSeriesAndInstancesInNumberOrderWithCounts() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getNumberOfSeries()).isEqualTo(2);
      assertThat(study.getNumberOfInstances()).isEqualTo(4);
      assertThat(study.getModality()).extracting(Coding::getCode).containsExactly("CT", "SR");
      assertThat(study.getModality())
          .allSatisfy(
              c ->
                  assertThat(c.getSystem())
                      .isEqualTo("http://dicom.nema.org/resources/ontology/DCM"));
      ImagingStudy.ImagingStudySeriesComponent ct = study.getSeries().get(0);
      assertThat(ct.getUid()).isEqualTo(STUDY + ".1");
      assertThat(ct.getNumber()).isEqualTo(1);
      assertThat(ct.getModality().getCode()).isEqualTo("CT");
      assertThat(ct.getDescription()).isEqualTo("Axial 1mm");
      assertThat(ct.getNumberOfInstances()).isEqualTo(3);
      assertThat(ct.getInstance())
          .extracting(ImagingStudy.ImagingStudySeriesInstanceComponent::getUid)
          .containsExactly(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3");
      assertThat(ct.getInstanceFirstRep().getSopClass().getCode()).isEqualTo("urn:oid:" + CT);
      assertThat(ct.getInstanceFirstRep().getSopClass().getSystem()).isEqualTo("urn:ietf:rfc:3986");
      assertThat(ct.getInstanceFirstRep().getNumber()).isEqualTo(1);
    }

    @Test
    void carriesAccessionNumberDescriptionAndReferrer() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getIdentifier())
          .filteredOn(
              i -> i.getType().hasCoding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN"))
          .singleElement()
          .satisfies(i -> assertThat(i.getValue()).isEqualTo("ACC-7"));
      assertThat(study.getDescription()).isEqualTo("CT thorax");
      assertThat(study.getReferrer().getDisplay()).isEqualTo("Gregory House");
    }

    @Test
    void neverPointsAtTheNode() throws Exception {
      ImagingStudy study = builder.build(ctStudy());
      assertThat(study.getEndpoint()).isEmpty();
      assertThat(study.getSeries()).allSatisfy(s -> assertThat(s.getEndpoint()).isEmpty());
    }

    @Test
    void givesTheSameBytesWhateverOrderTheIndexReturnsRowsIn() throws Exception {
      StudySnapshot s = ctStudy();
      List<StudySnapshot.Series> reversed = new ArrayList<>();
      for (StudySnapshot.Series series : s.series()) {
        List<StudySnapshot.Instance> instances = new ArrayList<>(series.instances());
        Collections.reverse(instances);
        reversed.add(
            0,
            new StudySnapshot.Series(
                series.seriesInstanceUid(),
                series.modality(),
                series.seriesNumber(),
                series.seriesDescription(),
                instances));
      }
      StudySnapshot shuffled =
          new StudySnapshot(
              s.studyInstanceUid(),
              s.patientId(),
              s.issuerOfPatientId(),
              s.patientName(),
              s.patientBirthDate(),
              s.patientSex(),
              s.studyDate(),
              s.studyTime(),
              s.accessionNumber(),
              s.studyId(),
              s.studyDescription(),
              s.referringPhysicianName(),
              s.lastReceivedAt(),
              reversed);
      assertThat(FHIR.newJsonParser().encodeResourceToString(builder.build(shuffled)))
          .isEqualTo(FHIR.newJsonParser().encodeResourceToString(builder.build(s)));
    }
  }

  @Nested
  @DisplayName("a study with gaps in its data")
  class Gaps {

    @Test
    void withoutPatientIdIsHeldBackWithAReason() {
      assertThatThrownBy(() -> builder.build(with(ctStudy(), null, "20240305", null)))
          .isInstanceOf(UnpublishableStudyException.class)
          .hasMessageContaining("PatientID");
      assertThatThrownBy(() -> builder.build(with(ctStudy(), "  ", "20240305", null)))
          .isInstanceOf(UnpublishableStudyException.class);
    }

    @Test
    void withADateButNoTimeStartsOnThatDay() throws Exception {
      ImagingStudy study = builder.build(with(ctStudy(), "MRN-0042", "20240305", null));
      assertThat(study.getStartedElement().getValueAsString()).isEqualTo("2024-03-05");
      assertThat(study.getStartedElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.DAY);
      assertThat(errors(study)).isEmpty();
    }

    @Test
    void withAnInvalidDateHasNoStartRatherThanAWrongOne() throws Exception {
      assertThat(builder.build(with(ctStudy(), "MRN-0042", "20241341", "1200")).hasStarted())
          .isFalse();
      assertThat(builder.build(with(ctStudy(), "MRN-0042", "yesterday", "1200")).hasStarted())
          .isFalse();
      ImagingStudy badTime = builder.build(with(ctStudy(), "MRN-0042", "20240305", "2561"));
      assertThat(badTime.getStartedElement().getValueAsString()).isEqualTo("2024-03-05");
    }

    @Test
    void readsTheOldAcrNemaDateAndTimeForms() throws Exception {
      ImagingStudy study = builder.build(with(ctStudy(), "MRN-0042", "2024.03.05", "14:30:15"));
      assertThat(study.getStartedElement().getValueAsString())
          .isEqualTo("2024-03-05T14:30:15+00:00");
    }

    @Test
    void aSeriesWithoutUsableModalityIsOther() throws Exception {
      StudySnapshot s =
          new StudySnapshot(
              STUDY,
              "MRN-1",
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              Instant.now(),
              List.of(
                  new StudySnapshot.Series(
                      STUDY + ".1",
                      null,
                      null,
                      null,
                      List.of(new StudySnapshot.Instance(STUDY + ".1.1", CT, null))),
                  new StudySnapshot.Series(
                      STUDY + ".2",
                      "c t",
                      null,
                      null,
                      List.of(new StudySnapshot.Instance(STUDY + ".2.1", CT, null)))));
      ImagingStudy study = builder.build(s);
      assertThat(study.getSeries())
          .allSatisfy(series -> assertThat(series.getModality().getCode()).isEqualTo("OT"));
      assertThat(study.getModality()).extracting(Coding::getCode).containsExactly("OT");
      assertThat(errors(study)).isEmpty();
    }

    @Test
    void aMinimalStudyIsStillValid() throws Exception {
      StudySnapshot s =
          new StudySnapshot(
              STUDY,
              "MRN-1",
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              Instant.now(),
              List.of(
                  new StudySnapshot.Series(
                      STUDY + ".1",
                      "MR",
                      null,
                      null,
                      List.of(new StudySnapshot.Instance(STUDY + ".1.1", CT, null)))));
      ImagingStudy study = builder.build(s);
      assertThat(study.hasStarted()).isFalse();
      assertThat(study.getSubject().hasDisplay()).isFalse();
      assertThat(study.getIdentifier()).hasSize(1);
      assertThat(errors(study)).isEmpty();
    }

    @Test
    void withoutInstancesIsHeldBack() {
      StudySnapshot s =
          new StudySnapshot(
              STUDY,
              "MRN-1",
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              Instant.now(),
              List.of());
      assertThatThrownBy(() -> builder.build(s)).isInstanceOf(UnpublishableStudyException.class);
    }
  }

  /**
   * Seeded random index rows, including odd but indexable values: every build is valid R4 or held
   * back.
   */
  @Test
  void randomIndexRowsGiveValidR4OrAReason() {
    Random random = new Random(20261128L);
    String[] dates = {"20240305", "19991231", null, "", "2024", "20240230", "2024.01.02", "abc"};
    String[] times = {
      "1430", "14", "143015", "143015.1", "235959.999999", null, "99", "14:30", " "
    };
    String[] names = {
      "Doe^John", "Doe", "^John", "=山田^太郎", "O'Brien^Mary-Kate^^Ms.", null, "^^^^", "Ünal^Çiğdem"
    };
    String[] sexes = {"M", "F", "O", "", null, "X"};
    String[] modalities = {"CT", "MR", "SR", "PR", null, "", "ct", "KO", "X-RAY"};
    for (int n = 0; n < 40; n++) {
      List<StudySnapshot.Series> series = new ArrayList<>();
      int seriesCount = random.nextInt(4);
      for (int s = 0; s < seriesCount; s++) {
        List<StudySnapshot.Instance> instances = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
          instances.add(
              new StudySnapshot.Instance(
                  STUDY + "." + s + "." + (i + 1),
                  random.nextBoolean() ? CT : SR,
                  random.nextBoolean() ? null : random.nextInt(1000)));
        }
        series.add(
            new StudySnapshot.Series(
                STUDY + "." + s,
                pick(random, modalities),
                random.nextBoolean() ? null : random.nextInt(100),
                random.nextBoolean() ? null : "Series " + s,
                instances));
      }
      StudySnapshot snapshot =
          new StudySnapshot(
              STUDY,
              random.nextInt(6) == 0 ? null : "P" + random.nextInt(1000),
              random.nextBoolean() ? null : "ISSUER",
              pick(random, names),
              pick(random, dates),
              pick(random, sexes),
              pick(random, dates),
              pick(random, times),
              random.nextBoolean() ? null : "A" + n,
              null,
              random.nextBoolean() ? null : "desc " + n,
              pick(random, names),
              Instant.now(),
              series);
      try {
        ImagingStudy study = builder.build(snapshot);
        assertThat(errors(study)).as("case %d: %s", n, snapshot).isEmpty();
        assertThat(study.getNumberOfInstances()).isEqualTo(snapshot.numberOfInstances());
      } catch (UnpublishableStudyException e) {
        assertThat(snapshot.patientId() == null || snapshot.numberOfInstances() == 0)
            .as("case %d", n)
            .isTrue();
      }
    }
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
