package io.ponte.node.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The site's retention policy ({@code ponte.node.retention.*}): how long each class of study is
 * kept, and the rules that tell the class from a study's attributes. Rules are tried in order and
 * the first that matches decides; when none does the study is UNDECIDED and kept for the longer
 * period, because deleting too early cannot be undone and keeping too long can.
 */
@ConfigMapping(prefix = "ponte.node.retention")
public interface RetentionConfig {

  /** Years an outpatient study is kept, counted from its StudyDate (else its first ingest). */
  @WithDefault("15")
  int outpatientYears();

  /** Years an inpatient (or undecided) study is kept. */
  @WithDefault("30")
  int inpatientYears();

  /** The class rules, first match wins (application.properties ships the defaults). */
  Optional<List<Rule>> rules();

  /** How often the node decides studies still undecided and refreshes the retention gauges. */
  @WithDefault("1h")
  Duration interval();

  /** Studies one run decides at most. */
  @WithDefault("1000")
  int batchSize();

  /** One rule: an attribute and what it must hold for the study to be of {@code class}. */
  interface Rule {

    /** The attribute's tag, {@code (gggg,eeee)} or {@code ggggeeee}; private tags work too. */
    String attribute();

    /** Matches when the attribute's value is one of these (case and surrounding blanks ignored). */
    Optional<List<String>> values();

    /** Matches when the attribute is present with a value (true) or absent or empty (false). */
    Optional<Boolean> present();

    @WithName("class")
    RetentionClass retentionClass();
  }
}
