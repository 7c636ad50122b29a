package io.ponte.node.retention;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.node.storage.RetentionDecider;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The site's retention policy applied to one study: the first rule that matches decides its class
 * (none: UNDECIDED, kept as long as INPATIENT), and its retention ends that many years after its
 * StudyDate, or after the day it was first received when it has no valid StudyDate.
 */
@ApplicationScoped
public class RetentionPolicy implements RetentionDecider {

  @Inject RetentionConfig config;

  @Inject PonteConfig ponte;

  private volatile List<RetentionRule> rules;

  /** A node with a wrong rule does not start: a silent fallback would keep or delete wrongly. */
  void check(@Observes StartupEvent event) {
    if (ponte.isNode()) {
      rules();
      if (config.outpatientYears() < 1 || config.inpatientYears() < config.outpatientYears()) {
        throw new IllegalArgumentException(
            "ponte.node.retention: outpatient-years must be at least 1 and inpatient-years at"
                + " least as long");
      }
    }
  }

  List<RetentionRule> rules() {
    List<RetentionRule> r = rules;
    if (r == null) {
      List<RetentionConfig.Rule> configured = config.rules().orElse(List.of());
      r = new ArrayList<>();
      for (int i = 0; i < configured.size(); i++) {
        r.add(RetentionRule.of(i, configured.get(i)));
      }
      rules = r = List.copyOf(r);
    }
    return r;
  }

  @Override
  public Decision decide(Attributes dataset, Instant receivedAt) {
    return decide(dataset::getString, dataset.getString(Tag.StudyDate), receivedAt);
  }

  /** The decision from any view of a study's attributes (a header at ingest, indexed metadata). */
  public Decision decide(IntFunction<String> attribute, String studyDate, Instant receivedAt) {
    RetentionClass cls = classOf(attribute);
    LocalDate from = studyDate(studyDate);
    if (from == null) {
      from = LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
    }
    return new Decision(cls.name(), from.plusYears(years(cls)));
  }

  RetentionClass classOf(IntFunction<String> attribute) {
    for (RetentionRule rule : rules()) {
      if (rule.matches(attribute)) {
        return rule.decides();
      }
    }
    return RetentionClass.UNDECIDED;
  }

  int years(RetentionClass cls) {
    return cls == RetentionClass.OUTPATIENT ? config.outpatientYears() : config.inpatientYears();
  }

  /** A DA value (YYYYMMDD) as a date; null when absent or not a real date. */
  static LocalDate studyDate(String da) {
    if (da == null) {
      return null;
    }
    String s = da.trim();
    if (s.length() != 8 || !s.chars().allMatch(Character::isDigit)) {
      return null;
    }
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(s.substring(0, 4)),
              Integer.parseInt(s.substring(4, 6)),
              Integer.parseInt(s.substring(6, 8)));
      // DICOM dates before 1900 are placeholders (e.g. 00010101), not when the study was made.
      return d.getYear() < 1900 ? null : d;
    } catch (DateTimeException e) {
      return null;
    }
  }
}
