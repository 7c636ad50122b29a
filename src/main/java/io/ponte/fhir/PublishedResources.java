package io.ponte.fhir;

import java.util.Set;

/**
 * What a node publishes to the hub, and so what the hub validates: an ImagingStudy with its Patient
 * contained. Both roles name these types: the node builds them, the hub checks them.
 */
public final class PublishedResources {
  private PublishedResources() {}

  /** The resource types of a publication; a resource of another type fails validation. */
  public static final Set<String> TYPES = Set.of("ImagingStudy", "Patient");

  /**
   * The ISO 21090 representation of a name (core extension, code ABC, IDE or SYL): marks each more
   * component group of a DICOM PatientName (ideographic, phonetic) published as another HumanName.
   */
  public static final String NAME_REPRESENTATION =
      "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

  /** The core extensions a publication uses, checked like the types' own elements. */
  public static final Set<String> EXTENSIONS = Set.of(NAME_REPRESENTATION);
}
