package io.ponte.hub.identity;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What a study says about its patient; kept on the hub's Patient (the scored matcher will use it).
 */
public record Demographics(String family, String given, LocalDate birthDate, String gender) {

  public static final Demographics NONE = new Demographics(null, null, null, null);

  boolean sameAs(PatientEntity p) {
    return Objects.equals(family, p.familyName)
        && Objects.equals(given, p.givenNames)
        && Objects.equals(birthDate, p.birthDate)
        && Objects.equals(gender, p.gender);
  }
}
