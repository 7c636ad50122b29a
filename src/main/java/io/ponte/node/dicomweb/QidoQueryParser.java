package io.ponte.node.dicomweb;

import io.ponte.dicom.ElementDictionary;
import io.ponte.dicomweb.QidoMatching;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.QidoAttribute;
import io.ponte.node.index.QidoLevel;
import io.ponte.node.index.QidoQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads QIDO-RS query parameters (PS3.18 8.3.4) into a {@link QidoQuery}, refusing with 400 what
 * cannot be a valid query: malformed UIDs, impossible dates or reversed ranges, non-numeric paging,
 * unknown keys.
 */
public final class QidoQueryParser {

  private static final Pattern HEX_TAG = Pattern.compile("[0-9A-Fa-f]{8}");
  private static final Pattern TIME = Pattern.compile("\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?");

  private final int defaultLimit;
  private final int maxLimit;

  public QidoQueryParser(int defaultLimit, int maxLimit) {
    this.defaultLimit = defaultLimit;
    this.maxLimit = maxLimit;
  }

  public QidoQuery parse(
      QidoLevel level, String studyUid, String seriesUid, Map<String, List<String>> params) {
    List<String> warnings = new ArrayList<>();
    boolean withStudy = studyUid == null && level != QidoLevel.STUDY;
    boolean withSeries = seriesUid == null && level == QidoLevel.INSTANCE;
    TreeMap<String, QidoAttribute> returned = new TreeMap<>();
    QidoAttribute.defaults(level, withStudy, withSeries).forEach(a -> returned.put(a.tag(), a));
    List<QidoQuery.Condition> conditions = new ArrayList<>();
    List<String> metadataTags = new ArrayList<>();
    boolean all = false;
    boolean fuzzy = false;
    int limit = defaultLimit;
    int offset = 0;

    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String key = e.getKey();
      List<String> values = e.getValue();
      switch (key.toLowerCase(Locale.ROOT)) {
        case "limit" -> {
          limit = nonNegative(key, single(key, values));
          if (limit == 0 || limit > maxLimit) {
            warnings.add("299 ponte \"limit capped at " + maxLimit + "\"");
            limit = maxLimit;
          }
        }
        case "offset" -> offset = nonNegative(key, single(key, values));
        case "fuzzymatching" -> fuzzy = bool(key, single(key, values));
        case "includefield" -> {
          for (String v : values) {
            for (String field : v.split(",")) {
              field = field.trim();
              if (field.isEmpty()) {
                continue;
              }
              if (field.equalsIgnoreCase("all")) {
                all = true;
                continue;
              }
              var known = QidoAttribute.find(field);
              if (known.isPresent()
                  && known.get().sql() != null
                  && known.get().availableAt(level)) {
                returned.put(known.get().tag(), known.get());
              } else if (known.isEmpty() || known.get().sql() != null) {
                String tag = dictionaryTag(field);
                if (!metadataTags.contains(tag) && !returned.containsKey(tag)) {
                  metadataTags.add(tag);
                }
              }
            }
          }
        }
        default -> {
          var attr = QidoAttribute.find(key);
          if (attr.isEmpty() || attr.get().match() == QidoAttribute.Match.NONE) {
            dictionaryTag(key); // 400 for a key that is no attribute at all
            warnings.add("299 ponte \"matching on " + key + " is not supported and was ignored\"");
            continue;
          }
          QidoAttribute a = attr.get();
          if (!a.availableAt(level)) {
            throw bad(
                key
                    + " cannot be matched in a "
                    + level.name().toLowerCase(Locale.ROOT)
                    + "-level search");
          }
          String value = single(key, values);
          returned.put(a.tag(), a);
          if (!isUniversal(value)) {
            validate(a, key, value);
            conditions.add(new QidoQuery.Condition(a, value));
          }
        }
      }
    }
    if (all) {
      QidoAttribute.all().stream()
          .filter(a -> a.sql() != null && a.availableAt(level))
          .filter(
              a ->
                  level == QidoLevel.STUDY
                      || a.level() != QidoLevel.STUDY
                      || withStudy
                      || a.keyword().equals("StudyInstanceUID"))
          .forEach(a -> returned.put(a.tag(), a));
    }
    return new QidoQuery(
        level,
        studyUid,
        seriesUid,
        List.copyOf(conditions),
        returned,
        List.copyOf(metadataTags),
        all && level == QidoLevel.INSTANCE,
        limit,
        offset,
        fuzzy,
        List.copyOf(warnings));
  }

  private static boolean isUniversal(String value) {
    return value.isEmpty() || value.equals("*");
  }

  private static void validate(QidoAttribute a, String key, String value) {
    switch (a.match()) {
      case UID -> {
        for (String uid : QidoQuery.uidList(value)) {
          if (!io.ponte.dicom.UID.isValid(uid)) {
            throw new ProblemException(
                ErrorCode.INVALID_UID, key + " holds an invalid UID: " + DicomwebUids.shorten(uid));
          }
        }
      }
      case DATE -> QidoMatching.dateRange(key, value);
      case TIME -> {
        String[] ends = QidoMatching.range(key, value);
        for (String end : ends) {
          if (!end.isEmpty() && !TIME.matcher(end).matches()) {
            throw bad(key + " is not a time (HHMMSS[.FFFFFF]): " + DicomwebUids.shorten(value));
          }
        }
        if (!ends[0].isEmpty() && !ends[1].isEmpty() && ends[0].compareTo(ends[1]) > 0) {
          throw bad(key + " range ends before it starts: " + value);
        }
      }
      case NUMBER -> {
        try {
          Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          throw bad(key + " must be an integer: " + DicomwebUids.shorten(value));
        }
      }
      default -> {
        if (value.length() > 324 || value.chars().anyMatch(c -> c < 0x20 && c != 0x1b)) {
          throw bad(key + " is not a valid match value");
        }
      }
    }
  }

  /** The tag of a keyword or hex tag from the data dictionary; 400 when it names no attribute. */
  private static String dictionaryTag(String field) {
    if (HEX_TAG.matcher(field).matches()) {
      return field.toUpperCase(Locale.ROOT);
    }
    int tag = ElementDictionary.tagForKeyword(field);
    if (tag < 0) {
      throw bad("unknown attribute or parameter: " + DicomwebUids.shorten(field));
    }
    return String.format("%08X", tag);
  }

  private static String single(String key, List<String> values) {
    if (values.size() != 1) {
      throw bad(key + " may be given only once");
    }
    return values.get(0);
  }

  private static int nonNegative(String key, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw bad(key + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad(key + " must be a non-negative integer");
    }
  }

  private static boolean bool(String key, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw bad(key + " must be true or false");
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
