package io.ponte.hub.registry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a study search finds the studies of the persons a PatientName matches, chosen per search from
 * how many patients each literal prefix of the name matches (counted up to {@link #CAP} by an index
 * range, one short statement before the page).
 *
 * <p>A page is the newest matches. For a rare name the best plan starts from the name: the few
 * matching patients (and their linked records at other sites), then their studies by the {@code
 * (patient_id, started)} index, sorted. For a common one ({@code Silva*} is 13 % of patients) that
 * plan reads and sorts a hundred thousand studies for a page of 25; walking the registry newest
 * first and testing each study's patient stops after about {@code (limit + offset) / share} rows. A
 * prepared statement's generic plan cannot choose between the two (the pattern is a parameter), so
 * the application does, comparing the rows each would read. Both routes give the same rows
 * (PatientNameRouteTest).
 */
final class NameRoute {

  /**
   * Buffers read (EXPLAIN BUFFERS at a million studies, rounded) per matching person from the
   * persons (its links, its ~3 studies), per patient a fuzzy match rechecks (a probe of its row),
   * per index entry of a prefix's range, and per study walked by date (the study, its patient, a
   * link probe).
   */
  private static final double PER_PERSON = 12;

  private static final double PER_RECHECK = 4;

  private static final double PER_ENTRY = 0.05;

  private static final double PER_STUDY_WALKED = 9;

  /** A fuzzy word's range is intersected when at most this many times the rarest one's. */
  private static final int INTERSECTED = 8;

  private NameRoute() {}

  /** The route chosen: from the persons, driven by one prefix, or walking by date. */
  sealed interface Route {}

  /**
   * From the persons the name matches, found through the index ranges of these prefixes (indexes
   * into {@link NamePrefixes#ranges}), intersected.
   */
  record FromPersons(List<Integer> prefixes) implements Route {
    FromPersons {
      prefixes = List.copyOf(prefixes);
    }
  }

  /** Newest studies first, each tested against the name (also when another key drives). */
  record ByDate() implements Route {}

  static final Route BY_DATE = new ByDate();

  /**
   * The route of each PatientName criterion of {@code match}. A search with another keyed criterion
   * (an identifier, a UID, an accession number, the patient caller's own person) is driven by that
   * key; its name is tested per study and nothing is counted.
   */
  static Map<StudyMatch.PatientName, Route> choose(
      Connection c, StudyMatch match, int limit, int offset) throws SQLException {
    Map<StudyMatch.PatientName, Route> routes = new HashMap<>();
    boolean keyed =
        match.regionalId() != null
            || match.criteria().stream()
                .anyMatch(
                    k ->
                        k instanceof StudyMatch.PatientId
                            || k instanceof StudyMatch.StudyUids
                            || k instanceof StudyMatch.Accession);
    for (StudyMatch.Criterion k : match.criteria()) {
      if (k instanceof StudyMatch.PatientName name) {
        List<String[]> ranges = NamePrefixes.ranges(name);
        routes.put(
            name, keyed || ranges.isEmpty() ? BY_DATE : choose(c, name, ranges, limit + offset));
      }
    }
    return routes;
  }

  private static Route choose(
      Connection c, StudyMatch.PatientName name, List<String[]> ranges, long rows)
      throws SQLException {
    Estimates estimates = estimate(c, ranges, name.fuzzy());
    return cheaper(estimates.counts(), estimates.patients(), rows, name.fuzzy());
  }

  /** The planner's count of patients and its estimate of the rows in each range. */
  record Estimates(double patients, long[] counts) {}

  /**
   * The rows in each range: fuzzy, of words in {@code patient_name_word} (the words of every name
   * of a patient); else of names by {@code name_search}, the patients' and their other names'
   * (patient_name_variant: the plan's top node, an Append, sums both). One round trip: the
   * statements sent together (simple protocol), results read in turn.
   */
  static Estimates estimate(Connection c, List<String[]> ranges, boolean words)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("select reltuples from pg_class where oid = 'patient'::regclass");
    for (String[] range : ranges) {
      sql.append(';')
          .append(
              String.format(
                  words
                      ? "explain (format json) select 1 from patient_name_word w"
                          + " where w.word >= %s and w.word < %s"
                      : "explain (format json) select 1 from patient p1"
                          + " where p1.name_search ~>=~ %1$s and p1.name_search ~<~ %2$s"
                          + " union all select 1 from patient_name_variant v1"
                          + " where v1.name_search ~>=~ %1$s and v1.name_search ~<~ %2$s",
                  literal(range[0]),
                  literal(range[1])));
    }
    long[] counts = new long[ranges.size()];
    double patients;
    try (Statement st = c.createStatement()) {
      st.execute(sql.toString());
      try (ResultSet rs = st.getResultSet()) {
        rs.next();
        patients = rs.getDouble(1);
      }
      for (int k = 0; k < counts.length; k++) {
        st.getMoreResults();
        try (ResultSet rs = st.getResultSet()) {
          rs.next();
          Matcher m = PLAN_ROWS.matcher(rs.getString(1));
          counts[k] = m.find() ? Long.parseLong(m.group(1)) : 0;
        }
      }
    }
    return new Estimates(patients, counts);
  }

  /**
   * The ranges worth intersecting (indexes into {@code counts}): those within {@link #INTERSECTED}
   * times the rarest one's rows. A common word's range beside a rare one costs more entries read
   * than the patients it would rule out.
   */
  static List<Integer> intersected(long[] counts) {
    long rarest = Long.MAX_VALUE;
    for (long count : counts) {
      rarest = Math.min(rarest, count);
    }
    List<Integer> prefixes = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] <= INTERSECTED * Math.max(rarest, 1)) {
        prefixes.add(k);
      }
    }
    return prefixes;
  }

  /**
   * The planner's estimates (from the columns' statistics, nothing executed) of the rows in each
   * prefix's range: an exact count of a common word would read as many index entries as the search
   * it is meant to avoid. The ranges are written as literals (quoted): only a statement's text, not
   * a parameter, is estimated with its values.
   */
  private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": ([0-9]+)");

  /** A string literal (standard_conforming_strings, on since PostgreSQL 9.1). */
  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /**
   * From the persons: the intersected prefixes' index entries, a recheck of each patient in the
   * intersection (fuzzy), each matching person's links and studies. By date: {@code rows / share}
   * studies walked. The share of matching patients is estimated from the prefixes' counts as if the
   * words were independent; everything is costed in buffers read.
   */
  static Route cheaper(long[] counts, double patients, long rows, boolean fuzzy) {
    double n = Math.max(patients, 1);
    for (long count : counts) {
      n = Math.max(n, count);
    }
    double expected = n;
    for (long count : counts) {
      expected *= count / n;
    }
    List<Integer> prefixes = intersected(counts);
    double intersection = n;
    double entries = 0;
    for (int k : prefixes) {
      intersection *= counts[k] / n;
      entries += counts[k];
    }
    double fromPersons =
        PER_PERSON * expected + (fuzzy ? PER_ENTRY * entries + PER_RECHECK * intersection : 0);
    double byDate = PER_STUDY_WALKED * rows * n / Math.max(expected, 0.5);
    return fromPersons <= byDate ? new FromPersons(prefixes) : BY_DATE;
  }
}
