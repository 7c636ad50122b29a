package io.ponte.node.storage;

import io.ponte.node.storage.blob.BlobTier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Which tier a study belongs in, from its age: the later of its StudyDate (its first ingest when
 * the date is absent or not a valid DA) and its last retrieve. Pure, so tests give it any clock.
 */
public record TierPolicy(Duration coolAfter, Duration coldAfter, Duration archiveAfter) {

  /** An archived study is looked at again this often (a changed policy reaches it then). */
  static final Duration ARCHIVE_REVIEW = Duration.ofDays(30);

  public static TierPolicy of(TierConfig config) {
    return new TierPolicy(config.coolAfter(), config.coldAfter(), config.archiveAfter());
  }

  /** The instant the study's age counts from. */
  public static Instant reference(String studyDate, Instant createdAt, Instant lastAccessedAt) {
    Instant from = createdAt;
    LocalDate date = parseDa(studyDate);
    if (date != null) {
      from = date.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    return lastAccessedAt != null && lastAccessedAt.isAfter(from) ? lastAccessedAt : from;
  }

  public BlobTier tierAt(Instant reference, Instant now) {
    Duration age = Duration.between(reference, now);
    if (age.compareTo(archiveAfter) >= 0) {
      return BlobTier.ARCHIVE;
    }
    if (age.compareTo(coldAfter) >= 0) {
      return BlobTier.COLD;
    }
    return age.compareTo(coolAfter) >= 0 ? BlobTier.COOL : BlobTier.HOT;
  }

  /** When the study next changes tier if it is not read before (a retrieve only delays it). */
  public Instant nextChange(Instant reference, Instant now) {
    for (Duration boundary : new Duration[] {coolAfter, coldAfter, archiveAfter}) {
      Instant at = reference.plus(boundary);
      if (at.isAfter(now)) {
        return at;
      }
    }
    return now.plus(ARCHIVE_REVIEW);
  }

  private static LocalDate parseDa(String da) {
    if (da == null || da.length() != 8) {
      return null;
    }
    try {
      return LocalDate.parse(da, DateTimeFormatter.BASIC_ISO_DATE);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
