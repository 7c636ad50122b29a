package io.ponte.hub.dicomweb;

import io.ponte.dicom.UID;
import io.ponte.dicomweb.QidoMatching;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.registry.StudyMatch;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A QIDO-RS study search at the hub read from its query parameters: the registry's {@link
 * StudyMatch} (answered there as one SQL statement), the page, and the Warnings for what the hub
 * ignores. A patient caller is confined to their own regional id.
 */
final class HubQidoQuery {

  /** Matching keys the registry can answer; other known DICOM keys are ignored with a Warning. */
  static final Set<String> MATCHING =
      Set.of(
          "patientid",
          "00100020",
          "patientname",
          "00100010",
          "studydate",
          "00080020",
          "studyinstanceuid",
          "0020000d",
          "modalitiesinstudy",
          "00080061",
          "accessionnumber",
          "00080050");

  private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

  StudyMatch match;
  final List<String> warnings = new ArrayList<>();
  final List<String> described = new ArrayList<>();
  int limit;
  int offset;
  boolean fuzzy;

  static HubQidoQuery of(
      Map<String, List<String>> params, String patientRegionalId, int defaultLimit, int maxLimit) {
    HubQidoQuery q = new HubQidoQuery();
    q.limit = defaultLimit;
    StudyMatch.Builder match = new StudyMatch.Builder(patientRegionalId);
    String fuzzy = first(params, "fuzzymatching");
    q.fuzzy = "true".equalsIgnoreCase(fuzzy);
    if (fuzzy != null && !q.fuzzy && !"false".equalsIgnoreCase(fuzzy)) {
      throw bad("fuzzymatching must be true or false");
    }
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String key = e.getKey();
      String k = key.toLowerCase(Locale.ROOT);
      if (e.getValue().size() != 1 && !k.equals("includefield")) {
        throw bad(key + " may be given only once");
      }
      String value = e.getValue().get(0);
      switch (k) {
        case "limit" -> {
          q.limit = nonNegative(key, value);
          if (q.limit == 0 || q.limit > maxLimit) {
            q.warnings.add("299 ponte \"limit capped at " + maxLimit + "\"");
            q.limit = maxLimit;
          }
        }
        case "offset" -> q.offset = nonNegative(key, value);
        case "includefield", "fuzzymatching" -> {
          // the hub returns the study attributes it registers; other fields are not available here
        }
        default -> {
          if (value.isEmpty() || value.equals("*")) {
            continue;
          }
          if (!MATCHING.contains(k)) {
            if (!knownAttribute(key)) {
              throw bad("unknown attribute or parameter: " + shorten(key));
            }
            q.warnings.add(
                "299 ponte \"matching on "
                    + key
                    + " is not supported at the hub and was ignored\"");
            continue;
          }
          q.described.add(key + "=" + value);
          match.and(q.criterion(k, key, value));
        }
      }
    }
    q.match = match.build();
    return q;
  }

  private StudyMatch.Criterion criterion(String k, String key, String value) {
    return switch (k) {
      case "patientid", "00100020" -> new StudyMatch.PatientId(value);
      case "patientname", "00100010" -> new StudyMatch.PatientName(value, fuzzy);
      case "studydate", "00080020" -> {
        String[] ends = QidoMatching.dateRange(key, value);
        yield new StudyMatch.StudyDate(
            ends[0].isEmpty() ? null : LocalDate.parse(ends[0], DA),
            ends[1].isEmpty() ? null : LocalDate.parse(ends[1], DA));
      }
      case "studyinstanceuid", "0020000d" -> {
        List<String> uids = new ArrayList<>();
        for (String uid : value.split("[,\\\\]")) {
          if (!UID.isValid(uid.trim())) {
            throw new ProblemException(
                ErrorCode.INVALID_UID, key + " holds an invalid UID: " + shorten(uid));
          }
          uids.add(uid.trim());
        }
        yield new StudyMatch.StudyUids(uids);
      }
      case "modalitiesinstudy", "00080061" ->
          new StudyMatch.Modalities(List.of(QidoMatching.codes(value)));
      case "accessionnumber", "00080050" -> new StudyMatch.Accession(value);
      default -> throw new IllegalStateException(k);
    };
  }

  private static boolean knownAttribute(String key) {
    return key.matches("[0-9A-Fa-f]{8}")
        || io.ponte.dicom.ElementDictionary.tagForKeyword(key) >= 0;
  }

  private static String first(Map<String, List<String>> params, String name) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static int nonNegative(String key, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw bad(key + " must be a non-negative integer");
  }

  static String shorten(String s) {
    return io.ponte.error.ErrorDetails.quote(s);
  }

  static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
