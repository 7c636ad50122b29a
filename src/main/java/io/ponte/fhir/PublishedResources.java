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
}
