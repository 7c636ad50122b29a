package io.ponte.testing;

import io.ponte.fhir.FhirContextProducer;
import io.ponte.fhir.PublishedResources;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds ImagingStudy resources the way a node publishes them (see ImagingStudyRules), with fresh
 * UIDs.
 */
public final class FhirStudies {

  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  private static final SecureRandom RANDOM = new SecureRandom();

  private FhirStudies() {}

  /** A fresh UUID-derived DICOM UID (2.25.<128-bit number>). */
  public static String uid() {
    return "2.25." + new BigInteger(1, randomBytes(16));
  }

  /** A fresh MRN, so tests never collide with earlier runs on the same database. */
  public static String mrn() {
    return "MRN-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
  }

  public static String mrnSystem(String site) {
    return "urn:ponte:site:" + site + ":mrn";
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  public static Builder study(String site, String mrn) {
    return new Builder(site, mrn);
  }

  public static final class Builder {
    private final String site;
    private final String mrn;
    private String uid = FhirStudies.uid();
    private String started = "2024-03-05T10:15:00Z";
    private final List<String> modalities = new ArrayList<>(List.of("CT"));
    private String family = "Silva";
    private String given = "Maria";
    private String description = "CT chest";
    private String birthDate = "1970-01-02";
    private AdministrativeGender gender = AdministrativeGender.FEMALE;
    private String regionalId;
    private String accession;
    private Coding bodySite;
    private final List<String[]> otherNames = new ArrayList<>();

    Builder(String site, String mrn) {
      this.site = site;
      this.mrn = mrn;
    }

    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    public Builder started(String started) {
      this.started = started;
      return this;
    }

    public Builder modalities(String... codes) {
      modalities.clear();
      modalities.addAll(List.of(codes));
      return this;
    }

    public Builder name(String family, String given) {
      this.family = family;
      this.given = given;
      return this;
    }

    /**
     * One more name of the contained Patient, marked as a node marks a DICOM PatientName's other
     * component group: {@code IDE} ideographic, {@code SYL} phonetic.
     */
    public Builder otherName(String representation, String family, String given) {
      otherNames.add(new String[] {representation, family, given});
      return this;
    }

    /** Birth date (FHIR date) and sex of the contained Patient. */
    public Builder born(String birthDate, AdministrativeGender gender) {
      this.birthDate = birthDate;
      this.gender = gender;
      return this;
    }

    /** A regional identifier the site states for its patient (urn:ponte:regional-id). */
    public Builder regionalId(String regionalId) {
      this.regionalId = regionalId;
      return this;
    }

    /** Every series' bodySite (as a node codes Body Part Examined). */
    public Builder bodySite(Coding bodySite) {
      this.bodySite = bodySite;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** An accession number: an identifier of type ACSN, as the node writes one. */
    public Builder accession(String accession) {
      this.accession = accession;
      return this;
    }

    public String uidValue() {
      return uid;
    }

    public ImagingStudy build() {
      ImagingStudy s = new ImagingStudy();
      Patient p = new Patient();
      p.setId("pat");
      p.addIdentifier().setSystem(mrnSystem(site)).setValue(mrn);
      if (regionalId != null) {
        p.addIdentifier().setSystem("urn:ponte:regional-id").setValue(regionalId);
      }
      p.addName().setFamily(family).addGiven(given);
      for (String[] other : otherNames) {
        p.addName()
            .setFamily(other[1])
            .addGiven(other[2])
            .addExtension(PublishedResources.NAME_REPRESENTATION, new CodeType(other[0]));
      }
      p.setGender(gender);
      p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
      s.addContained(p);
      s.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid);
      if (accession != null) {
        s.addIdentifier()
            .setType(
                new org.hl7.fhir.r4.model.CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", null)))
            .setValue(accession);
      }
      s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
      s.setSubject(new Reference("#pat").setIdentifier(p.getIdentifierFirstRep().copy()));
      if (started != null) {
        s.setStartedElement(new DateTimeType(started));
      }
      s.setDescription(description);
      // A node's private address: the hub must never pass it on.
      s.addEndpoint(new Reference("Endpoint/node-private"));
      for (String code : modalities) {
        s.addModality(new Coding(DCM, code, null));
      }
      int instances = 0;
      for (String code : modalities) {
        ImagingStudy.ImagingStudySeriesComponent series =
            s.addSeries()
                .setUid(FhirStudies.uid())
                .setModality(new Coding(DCM, code, null))
                .setNumber(1)
                .setNumberOfInstances(2);
        if (bodySite != null) {
          series.setBodySite(bodySite.copy());
        }
        series.addEndpoint(new Reference().setReference("http://10.0.0.7:8080/dicomweb"));
        for (int i = 1; i <= 2; i++) {
          series
              .addInstance()
              .setUid(FhirStudies.uid())
              .setNumber(i)
              .setSopClass(
                  new Coding("urn:ietf:rfc:3986", "urn:oid:1.2.840.10008.5.1.4.1.1.2", null));
        }
        instances += 2;
      }
      s.setNumberOfSeries(modalities.size());
      s.setNumberOfInstances(instances);
      return s;
    }

    public String json() {
      return FhirContextProducer.r4().newJsonParser().encodeResourceToString(build());
    }
  }
}
