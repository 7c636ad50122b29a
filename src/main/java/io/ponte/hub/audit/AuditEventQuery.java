package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of an AuditEvent search, checked and turned into SQL over audit_record: patient,
 * agent, entity (a request id finds both ends of a retrieve), site (the recording node, or hub),
 * date (ranges with ge/gt/le/lt), type, subtype, outcome, purpose, {@code _count}, {@code _cursor}
 * (keyset: rows before this id, newest first) and {@code _format}. Anything else, or a value of the
 * wrong type, is refused with 400 before any row is read.
 */
final class AuditEventQuery {

  static final Set<String> PARAMS =
      Set.of(
          "patient",
          "agent",
          "entity",
          "site",
          "date",
          "type",
          "subtype",
          "outcome",
          "purpose",
          "_count",
          "_cursor",
          "_format",
          Actors.PURPOSE_PARAM);

  final StringBuilder where = new StringBuilder("true");
  final List<Object> args = new ArrayList<>();
  final List<String> described = new ArrayList<>();
  int count;
  Long cursor;
  boolean csv;
  boolean none;

  static AuditEventQuery of(Map<String, List<String>> params, int defaultCount, int maxCount) {
    AuditEventQuery q = new AuditEventQuery();
    q.count = defaultCount;
    Instant from = null;
    Instant to = null;
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String name = e.getKey();
      if (!PARAMS.contains(name)) {
        throw bad("unknown search parameter: " + shorten(name));
      }
      for (String raw : e.getValue()) {
        String v = raw == null ? "" : raw.trim();
        if (v.isEmpty()) {
          throw bad("empty value for " + name);
        }
        if (!name.equals("_format") && !name.equals(Actors.PURPOSE_PARAM)) {
          q.described.add(name + "=" + v);
        }
        switch (name) {
          case "patient" -> q.patient(v.startsWith("Patient/") ? v.substring(8) : v);
          case "agent" ->
              q.and("(username = ? or subject = ? or client_id = ? or peer_ae = ?)", v, v, v, v);
          case "site" -> {
            // AuditEvent.source.site: the node that recorded it, or "hub" for the hub's own.
            if (v.equals("hub")) {
              q.and("source_site is null");
            } else {
              requireToken("site", v);
              q.and("source_site = ?", v);
            }
          }
          case "entity" -> q.entity(v);
          case "date" -> {
            Bound b = Bound.of(v);
            if (b.lower) {
              from = from == null || b.at.isAfter(from) ? b.at : from;
              q.and("recorded_at >= ?", OffsetDateTime.ofInstant(b.at, ZoneOffset.UTC));
            } else {
              to = to == null || b.at.isBefore(to) ? b.at : to;
              q.and("recorded_at <= ?", OffsetDateTime.ofInstant(b.at, ZoneOffset.UTC));
            }
          }
          case "type" -> {
            String code = v.contains("|") ? v.substring(v.indexOf('|') + 1) : v;
            switch (code) {
              case "rest" -> q.and("source_site is null");
              case "110104" -> q.and("action in ('node-ingest', 'node-retrieve')");
              case "110112" -> q.and("action = 'node-query'");
              case "110105" -> q.and("action = 'node-delete'");
              case "110103" -> q.and("action in ('node-hold', 'node-release')");
              default -> q.none = true;
            }
          }
          case "subtype" -> q.subtype(v.contains("|") ? v.substring(v.indexOf('|') + 1) : v);
          case "outcome" -> q.outcome(v);
          case "purpose" -> q.purpose(v.contains("|") ? v.substring(v.indexOf('|') + 1) : v);
          case "_count" -> q.count = count(v, maxCount);
          case "_cursor" -> q.cursor = number("_cursor", v);
          case "_format" -> q.csv = v.equalsIgnoreCase("csv") || v.equalsIgnoreCase("text/csv");
          default -> {
            // purpose-of-use: the caller's own stated purpose, read by Actors
          }
        }
      }
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw bad("the date range is reversed: its start is after its end");
    }
    if (q.cursor != null) {
      q.and("seq < ?", q.cursor);
    }
    return q;
  }

  void and(String condition, Object... values) {
    where.append(" and ").append(condition);
    args.addAll(List.of(values));
  }

  /**
   * A comma-joined column contains {@code value} as one whole item: the expression of the column's
   * GIN index (db/hub V100), so that the search reads the index, not the whole table.
   */
  static String listContains(String column) {
    return "string_to_array(" + column + ", ',') @> array[cast(? as text)]";
  }

  private void patient(String id) {
    requireToken("patient", id);
    and("(" + listContains("patient_ids") + " or " + listContains("regional_ids") + ")", id, id);
  }

  private void entity(String v) {
    String value = v;
    if (value.startsWith("urn:dicom:uid|")) {
      value = value.substring("urn:dicom:uid|".length());
    }
    if (value.startsWith("urn:oid:")) {
      value = value.substring("urn:oid:".length());
    }
    if (value.startsWith("Patient/")) {
      patient(value.substring(8));
      return;
    }
    requireToken("entity", value);
    and(
        "("
            + listContains("study_uids")
            + " or "
            + listContains("patient_ids")
            + " or request_id = ?)",
        value,
        value,
        value);
  }

  private void subtype(String code) {
    List<String> actions =
        switch (code) {
          case "read" -> List.of("read");
          case "search-type", "search" -> List.of("search");
          case "create" -> List.of("create");
          case "delete" -> List.of("delete");
          case "update" -> List.of("update", "identity-link", "identity-unlink", "identity-reject");
          default ->
              throw bad(
                  "unknown subtype: "
                      + shorten(code)
                      + "; one of read, search-type,"
                      + " create, update, delete");
        };
    and("action in (" + "?,".repeat(actions.size() - 1) + "?)", actions.toArray());
  }

  private void outcome(String code) {
    List<String> outcomes =
        switch (code) {
          case "0" -> List.of("success");
          case "4" -> List.of("denied", "invalid", "deferred");
          case "8" -> List.of("error");
          case "12" -> List.of();
          default -> throw bad("outcome is one of 0, 4, 8, 12");
        };
    if (outcomes.isEmpty()) {
      none = true;
      return;
    }
    and("outcome in (" + "?,".repeat(outcomes.size() - 1) + "?)", outcomes.toArray());
  }

  private void purpose(String code) {
    String word = null;
    for (Map.Entry<String, String> e : AuditEventRenderer.PURPOSE_CODES.entrySet()) {
      if (e.getValue().equalsIgnoreCase(code) || e.getKey().equalsIgnoreCase(code)) {
        word = e.getKey();
      }
    }
    if (word == null) {
      throw bad("unknown purpose: " + shorten(code));
    }
    and("purpose = ?", word);
  }

  private static int count(String v, int max) {
    long n = number("_count", v);
    if (n < 1 || n > max) {
      throw bad("_count must be between 1 and " + max);
    }
    return (int) n;
  }

  private static long number(String name, String v) {
    if (!v.matches("[0-9]{1,18}")) {
      throw bad(name + " must be a whole number");
    }
    return Long.parseLong(v);
  }

  private static void requireToken(String name, String v) {
    if (!v.matches("[A-Za-z0-9._:|/-]{1,128}")) {
      throw bad(name + " is not an id, identifier or UID");
    }
  }

  /** One side of a date range: {@code ge}/{@code gt} lower, {@code le}/{@code lt} upper. */
  private record Bound(boolean lower, Instant at) {
    static Bound of(String v) {
      String prefix = v.length() > 2 ? v.substring(0, 2).toLowerCase(Locale.ROOT) : "";
      if (!Set.of("ge", "gt", "le", "lt").contains(prefix)) {
        throw bad("date needs a ge, gt, le or lt prefix, e.g. date=ge2026-01-01");
      }
      String value = v.substring(2);
      boolean lower = prefix.startsWith("g");
      try {
        if (value.length() == 10) {
          LocalDate day = LocalDate.parse(value);
          boolean wholeDayAfter = prefix.equals("gt") || prefix.equals("le");
          LocalDate start = wholeDayAfter ? day.plusDays(1) : day;
          Instant at = start.atStartOfDay().toInstant(ZoneOffset.UTC);
          return new Bound(lower, lower ? at : at.minusNanos(1000));
        }
        return new Bound(lower, OffsetDateTime.parse(value).toInstant());
      } catch (DateTimeParseException e) {
        throw bad("date is not a date (YYYY-MM-DD) or a date-time with zone: " + shorten(value));
      }
    }
  }

  static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }

  static String shorten(String s) {
    String safe = s.replaceAll("[^\\x20-\\x7e]", "?");
    return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
  }
}
