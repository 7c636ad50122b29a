package io.ponte.node.retention;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A configured rule, parsed and checked once: tag, what it must hold, and the class it decides. */
record RetentionRule(int tag, Set<String> values, Boolean present, RetentionClass decides) {

  private static final Pattern TAG = Pattern.compile("\\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\\)?");

  /** Parses {@code rules[index]}; a wrong rule stops the node with a message naming it. */
  static RetentionRule of(int index, RetentionConfig.Rule rule) {
    String where = "ponte.node.retention.rules[" + index + "]";
    Matcher m = TAG.matcher(rule.attribute().trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          where + ".attribute: '" + rule.attribute() + "' is not a tag like (0038,0010)");
    }
    int tag = Integer.parseUnsignedInt(m.group(1) + m.group(2), 16);
    if (rule.values().isPresent() == rule.present().isPresent()) {
      throw new IllegalArgumentException(where + ": give either values or present, not both");
    }
    if (rule.retentionClass() == RetentionClass.UNDECIDED) {
      throw new IllegalArgumentException(where + ".class: OUTPATIENT or INPATIENT");
    }
    Set<String> values = rule.values().map(RetentionRule::normalised).orElse(null);
    return new RetentionRule(tag, values, rule.present().orElse(null), rule.retentionClass());
  }

  private static Set<String> normalised(List<String> values) {
    return values.stream().map(RetentionRule::normalised).collect(Collectors.toUnmodifiableSet());
  }

  private static String normalised(String value) {
    return value.trim().toUpperCase(Locale.ROOT);
  }

  /** Whether a study whose attributes {@code attribute} gives (null when absent) matches. */
  boolean matches(IntFunction<String> attribute) {
    String value = attribute.apply(tag);
    boolean has = value != null && !value.isBlank();
    if (present != null) {
      return present == has;
    }
    return has && values.contains(normalised(value));
  }

  /** The tag as DICOM JSON names it ({@code 00380010}). */
  String jsonKey() {
    return String.format("%08X", tag);
  }
}
