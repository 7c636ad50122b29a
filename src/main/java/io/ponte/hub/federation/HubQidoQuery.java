package io.ponte.hub.federation;

import io.ponte.dicom.UID;
import io.ponte.dicomweb.QidoMatching;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A QIDO-RS study search at the hub as ONE SQL statement over the registry's indexed columns
 * (imaging_study, patient, imaging_study_modality, identity_link). Patient criteria expand through
 * identity links, so any local PatientID of a person finds the studies of all the person's
 * identifiers; a patient caller is confined to their own regional id.
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

  private static final String PERSON_OF =
      "select p1.id from patient p1 where %1$s"
          + " union select l2.patient_id from patient p1 join identity_link l1 on l1.patient_id = p1.id"
          + " join identity_link l2 on l2.regional_id = l1.regional_id where %1$s";

  private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

  final StringBuilder where = new StringBuilder("true");
  final List<Object> args = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  final List<String> described = new ArrayList<>();
  int limit;
  int offset;
  boolean fuzzy;

  static HubQidoQuery of(
      Map<String, List<String>> params, String patientRegionalId, int defaultLimit, int maxLimit) {
    HubQidoQuery q = new HubQidoQuery();
    q.limit = defaultLimit;
    if (patientRegionalId != null) {
      q.where.append(
          " and s.patient_id in (select l.patient_id from identity_link l where l.regional_id = ?)");
      q.args.add(patientRegionalId);
    }
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
          q.match(k, key, value);
        }
      }
    }
    return q;
  }

  private void match(String k, String key, String value) {
    switch (k) {
      case "patientid", "00100020" -> {
        boolean wildcard = QidoMatching.hasWildcard(value);
        String condition =
            wildcard ? "p1.identifier_value like ? escape '!'" : "p1.identifier_value = ?";
        String arg = wildcard ? QidoMatching.likePattern(value) : value;
        where
            .append(" and s.patient_id in (")
            .append(String.format(PERSON_OF, condition))
            .append(')');
        args.add(arg);
        args.add(arg);
      }
      case "patientname", "00100010" -> {
        String name = "(coalesce(p.family_name, '') || '^' || coalesce(p.given_names, ''))";
        if (fuzzy) {
          where.append(" and ").append(QidoMatching.fuzzyName(name, value, args));
        } else {
          where.append(" and ").append(name).append(" ilike ? escape '!'");
          args.add(
              QidoMatching.likePattern(
                  value.contains("^") || QidoMatching.hasWildcard(value) ? value : value + "^*"));
        }
      }
      case "studydate", "00080020" -> {
        String[] ends = QidoMatching.dateRange(key, value);
        if (!ends[0].isEmpty()) {
          where.append(" and s.started >= ?");
          args.add(LocalDate.parse(ends[0], DA).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
        if (!ends[1].isEmpty()) {
          where.append(" and s.started < ?");
          args.add(
              LocalDate.parse(ends[1], DA).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
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
        where.append(" and s.study_instance_uid = any(?)");
        args.add(uids.toArray(new String[0]));
      }
      case "modalitiesinstudy", "00080061" -> {
        where.append(
            " and exists (select 1 from imaging_study_modality m2 where m2.study_id = s.id"
                + " and m2.code = any(?))");
        args.add(QidoMatching.codes(value));
      }
      case "accessionnumber", "00080050" -> {
        // Not a registry column: matched inside the stored ImagingStudy (identifier of type ACSN).
        where.append(" and s.resource_json::jsonb -> 'identifier' @> ?::jsonb");
        args.add(
            "[{\"value\":\""
                + new String(
                    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(value))
                + "\"}]");
      }
      default -> throw new IllegalStateException(k);
    }
  }

  String sql() {
    return "select s.study_instance_uid, s.site_id, s.started, s.resource_json, p.identifier_system,"
        + " p.identifier_value, p.family_name, p.given_names, p.birth_date, p.gender, s.patient_id,"
        + " (select string_agg(m.code, '\\' order by m.code) from imaging_study_modality m where m.study_id = s.id)"
        + " from imaging_study s join patient p on p.id = s.patient_id where "
        + where
        + " order by s.started desc nulls last, s.id limit ? offset ?";
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
