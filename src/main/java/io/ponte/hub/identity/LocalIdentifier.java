package io.ponte.hub.identity;

/** A patient identifier as a site knows it: the site's system URI and the value (e.g. the MRN). */
public record LocalIdentifier(String system, String value) {

  /** FHIR token form {@code system|value}. */
  public String token() {
    return system + "|" + value;
  }
}
