package io.ponte.hub.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The {@code consent.rules} column: a consent's provisions in the form the decision reads, so that
 * deciding never parses FHIR. Written once when the consent is recorded.
 */
record StoredRules(Rule base, List<Rule> exceptions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Rule(boolean permit, List<String> actors, List<String> sources, String start, String end) {

    static Rule of(ConsentRule r) {
      return new Rule(
          r.permit(),
          r.actors().stream().sorted().toList(),
          r.sources().stream().sorted().toList(),
          r.start() == null ? null : r.start().toString(),
          r.end() == null ? null : r.end().toString());
    }

    ConsentRule rule() {
      return new ConsentRule(
          permit,
          actors == null ? Set.of() : Set.copyOf(actors),
          sources == null ? Set.of() : Set.copyOf(sources),
          start == null ? null : Instant.parse(start),
          end == null ? null : Instant.parse(end));
    }
  }

  static String write(ConsentRule base, List<ConsentRule> exceptions) {
    try {
      return JSON.writeValueAsString(
          new StoredRules(Rule.of(base), exceptions.stream().map(Rule::of).toList()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("consent rules are plain values", e);
    }
  }

  static RecordedConsent read(String id, Instant consentedAt, Instant recordedAt, String json) {
    try {
      StoredRules stored = JSON.readValue(json, StoredRules.class);
      return new RecordedConsent(
          id,
          consentedAt,
          recordedAt,
          stored.base().rule(),
          stored.exceptions() == null
              ? List.of()
              : stored.exceptions().stream().map(Rule::rule).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("consent " + id + " has unreadable rules", e);
    }
  }
}
