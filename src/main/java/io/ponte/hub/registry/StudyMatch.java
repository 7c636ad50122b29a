package io.ponte.hub.registry;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A study search the registry answers in one statement (QIDO-RS at the hub asks it): the criteria
 * in the order they were given, all of which must hold, DICOM attribute matching (PS3.4 C.2.2.2) on
 * the registry's own columns. Values have been checked by the caller (UIDs valid, dates parsed).
 * Patient criteria expand through identity links, so any local PatientID of a person finds the
 * studies of all the person's identifiers.
 *
 * @param regionalId only the studies of this person (a patient caller), or null for all
 */
public record StudyMatch(String regionalId, List<Criterion> criteria) {

  public StudyMatch {
    criteria = List.copyOf(criteria);
  }

  /** One matching key. */
  public sealed interface Criterion {}

  /** PatientID, {@code *} and {@code ?} wildcards allowed; matches every linked identifier. */
  public record PatientId(String value) implements Criterion {}

  /**
   * PatientName as {@code Family^Given}; with {@code fuzzy}, word-start matching on either part.
   */
  public record PatientName(String value, boolean fuzzy) implements Criterion {}

  /** StudyDate from {@code from} to {@code to}, both inclusive, either open (null). */
  public record StudyDate(LocalDate from, LocalDate to) implements Criterion {}

  /** StudyInstanceUID: any of these. */
  public record StudyUids(List<String> uids) implements Criterion {
    public StudyUids {
      uids = List.copyOf(uids);
    }
  }

  /** ModalitiesInStudy: the study has a series of any of these modalities. */
  public record Modalities(List<String> codes) implements Criterion {
    public Modalities {
      codes = List.copyOf(codes);
    }
  }

  /** AccessionNumber, exactly. */
  public record Accession(String value) implements Criterion {}

  /** Collects criteria while a query is read. */
  public static final class Builder {
    private final String regionalId;
    private final List<Criterion> criteria = new ArrayList<>();

    public Builder(String regionalId) {
      this.regionalId = regionalId;
    }

    public Builder and(Criterion criterion) {
      criteria.add(criterion);
      return this;
    }

    public StudyMatch build() {
      return new StudyMatch(regionalId, criteria);
    }
  }
}
