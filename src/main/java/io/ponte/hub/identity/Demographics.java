package io.ponte.hub.identity;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a study says about its patient; kept on the hub's Patient (the scored matcher uses the name,
 * birth date and sex).
 *
 * @param otherNames the other component groups of the DICOM name (ideographic, phonetic), found by
 *     a name search but never used to match identities
 */
public record Demographics(
    String family, String given, LocalDate birthDate, String gender, List<Name> otherNames) {

  public static final Demographics NONE = new Demographics(null, null, null, null);

  /**
   * A name as family and given names (given names space-separated, as patient.given_names).
   *
   * @param representation the component group's ISO 21090 code (IDE ideographic, SYL phonetic)
   */
  public record Name(String representation, String family, String given) {}

  public Demographics {
    otherNames = otherNames == null ? List.of() : List.copyOf(otherNames);
  }

  public Demographics(String family, String given, LocalDate birthDate, String gender) {
    this(family, given, birthDate, gender, List.of());
  }

  /** Whether what identity matching uses (not the other names) is what the Patient holds. */
  boolean sameAs(PatientEntity p) {
    return Objects.equals(family, p.familyName)
        && Objects.equals(given, p.givenNames)
        && Objects.equals(birthDate, p.birthDate)
        && Objects.equals(gender, p.gender);
  }
}
