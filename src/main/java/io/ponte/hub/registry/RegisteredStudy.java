package io.ponte.hub.registry;

import java.util.List;

/**
 * A registered study the caller may see: where it lives and whose it is, and (read on demand from
 * its stored ImagingStudy) its series and instances.
 *
 * @param id the ImagingStudy's logical id
 * @param siteId the site whose node holds the images
 * @param patientId the hub's Patient id
 */
public record RegisteredStudy(String id, String studyUid, String siteId, String patientId) {

  /**
   * One series as the stored ImagingStudy lists it.
   *
   * @param uid the Series Instance UID ("" when the resource has none)
   * @param modality the series' modality code, or null
   * @param number the series number, or null
   * @param numberOfInstances as stated, else the instances listed
   */
  public record Series(
      String uid,
      String modality,
      String description,
      Integer number,
      int numberOfInstances,
      List<Instance> instances) {}

  /**
   * One instance of a series.
   *
   * @param sopClassUid the SOP Class UID (without the {@code urn:oid:} of FHIR's coding), or null
   */
  public record Instance(String uid, String sopClassUid, Integer number) {}
}
