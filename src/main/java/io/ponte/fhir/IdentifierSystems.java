package io.ponte.fhir;

/**
 * The identifier systems Ponte's FHIR resources use, spelled once. Nodes write them when they
 * publish, the hub reads them when it registers and searches.
 */
public final class IdentifierSystems {
  private IdentifierSystems() {}

  /** DICOM UIDs as FHIR identifiers: {@code urn:dicom:uid|urn:oid:<uid>}. */
  public static final String DICOM_UID = "urn:dicom:uid";

  /** Prefix of a DICOM UID's value under {@link #DICOM_UID}. */
  public static final String OID_PREFIX = "urn:oid:";

  /**
   * A participating site's identifier system (its Organization's identifier, a publication's
   * source).
   */
  public static final String SITE = "urn:ponte:site";

  /** {@code urn:ponte:site:<site>}: the site itself, e.g. a publication's {@code meta.source}. */
  public static String site(String site) {
    return SITE + ":" + site;
  }

  /**
   * {@code urn:ponte:site:<site>:mrn}: the site's local patient identifiers unless it configures
   * its own.
   */
  public static String siteMrn(String site) {
    return site(site) + ":mrn";
  }

  /** {@code urn:ponte:site:<site>:accession}: the site's accession numbers. */
  public static String siteAccession(String site) {
    return site(site) + ":accession";
  }

  /**
   * The region's person identifier (the regional id a patient token carries, linking a person's
   * local Patients): {@code urn:ponte:regional-id|<regional id>}.
   */
  public static final String REGIONAL_ID = "urn:ponte:regional-id";

  /** {@code urn:oid:<uid>}: a DICOM UID's identifier value. */
  public static String oid(String uid) {
    return OID_PREFIX + uid;
  }
}
