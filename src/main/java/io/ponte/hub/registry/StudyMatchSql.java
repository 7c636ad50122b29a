package io.ponte.hub.registry;

import io.ponte.dicomweb.QidoMatching;
import io.ponte.hub.consent.SearchScope;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link StudyMatch} as ONE SQL statement over the registry's indexed columns (imaging_study,
 * patient, imaging_study_modality, identity_link), keyset-free paging by limit and offset. The
 * columns it selects are read by {@link RegisteredStudies} in this order.
 */
final class StudyMatchSql {

  private static final String PERSON_OF =
      "select p1.id from patient p1 where %1$s"
          + " union select l2.patient_id from patient p1 join identity_link l1 on l1.patient_id = p1.id"
          + " join identity_link l2 on l2.regional_id = l1.regional_id where %1$s";

  final StringBuilder where = new StringBuilder("true");

  /** Bind values in order: String, OffsetDateTime, or String[] for a varchar array. */
  final List<Object> args = new ArrayList<>();

  private final Map<StudyMatch.PatientName, NameRoute.Route> routes;

  private StudyMatchSql(Map<StudyMatch.PatientName, NameRoute.Route> routes) {
    this.routes = routes;
  }

  /** {@code routes}: how each PatientName is matched ({@link NameRoute}; by date if absent). */
  static StudyMatchSql of(StudyMatch match, Map<StudyMatch.PatientName, NameRoute.Route> routes) {
    StudyMatchSql q = new StudyMatchSql(routes);
    if (match.regionalId() != null) {
      q.where.append(
          " and s.patient_id in (select l.patient_id from identity_link l where l.regional_id = ?)");
      q.args.add(match.regionalId());
    }
    for (StudyMatch.Criterion c : match.criteria()) {
      q.add(c);
    }
    return q;
  }

  private void add(StudyMatch.Criterion c) {
    if (c instanceof StudyMatch.PatientId id) {
      boolean wildcard = QidoMatching.hasWildcard(id.value());
      String condition =
          wildcard ? "p1.identifier_value like ? escape '!'" : "p1.identifier_value = ?";
      String arg = wildcard ? QidoMatching.likePattern(id.value()) : id.value();
      where
          .append(" and s.patient_id in (")
          .append(String.format(PERSON_OF, condition))
          .append(')');
      args.add(arg);
      args.add(arg);
    } else if (c instanceof StudyMatch.PatientName name) {
      name(name, routes.getOrDefault(name, NameRoute.BY_DATE));
    } else if (c instanceof StudyMatch.StudyDate date) {
      if (date.from() != null) {
        where.append(" and s.started >= ?");
        args.add(date.from().atStartOfDay().atOffset(ZoneOffset.UTC));
      }
      if (date.to() != null) {
        where.append(" and s.started < ?");
        args.add(date.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
      }
    } else if (c instanceof StudyMatch.StudyUids uids) {
      where.append(" and s.study_instance_uid = any(?)");
      args.add(uids.uids().toArray(new String[0]));
    } else if (c instanceof StudyMatch.Modalities modalities) {
      where.append(
          " and exists (select 1 from imaging_study_modality m2 where m2.study_id = s.id"
              + " and m2.code = any(?))");
      args.add(modalities.codes().toArray(new String[0]));
    } else if (c instanceof StudyMatch.Accession accession) {
      // The ImagingStudy's identifier of type ACSN, copied to an indexed column when published.
      where.append(" and s.accession_number = ?");
      args.add(accession.value());
    } else {
      throw new IllegalStateException(c.toString());
    }
  }

  /**
   * Accents and case folded on both sides (patient.name_search is family^given folded), and the
   * match follows identity links: one spelling finds the person's studies at every site. A value
   * without '=' matches any component group (PS3.4 C.2.2.2.1): the name, or one of the patient's
   * other names (patient_name_variant: ideographic, phonetic). The route ({@link NameRoute})
   * decides the SQL's shape, not its result.
   */
  private void name(StudyMatch.PatientName name, NameRoute.Route route) {
    String value = NamePrefixes.pattern(name);
    boolean anyGroup = NamePrefixes.anyGroup(name);
    List<Object> matchArgs = new ArrayList<>();
    String matches = condition(name, "p1.name_search", value, matchArgs);
    if (anyGroup) {
      // "offset 0": a probe of the patient's few variants by primary key, never a join.
      matches =
          "("
              + matches
              + " or exists (select 1 from patient_name_variant v1 where v1.patient_id = p1.id and "
              + condition(name, "v1.name_search", value, matchArgs)
              + " offset 0))";
    }
    if (route instanceof NameRoute.FromPersons persons) {
      // The prefixes as index ranges (usable by a generic plan, unlike LIKE ?), the match
      // tested on each patient found, then the person's records at other sites.
      List<String[]> ranges = NamePrefixes.ranges(name);
      String direct;
      if (name.fuzzy()) {
        // The patients having a word in every intersected range (index-only scans of
        // patient_name_word), each rechecked by a probe of its row ("offset 0": not a join the
        // planner could start from patient, which, the LIKE's selectivity unknown, it would
        // do by scanning every patient).
        direct =
            "select x.patient_id from ("
                + NamePrefixes.patientsWithWords(
                    persons.prefixes().stream().map(ranges::get).toList(), args)
                + ") x where exists (select 1 from patient p1 where p1.id = x.patient_id and "
                + matches
                + " offset 0)";
        args.addAll(matchArgs);
      } else {
        // Each name's key by its own index range: the patients' names, and the other names.
        args.add(ranges.get(0)[0]);
        args.add(ranges.get(0)[1]);
        direct =
            "select p1.id as patient_id from patient p1"
                + " where p1.name_search ~>=~ ? and p1.name_search ~<~ ? and "
                + condition(name, "p1.name_search", value, args);
        if (anyGroup) {
          args.add(ranges.get(0)[0]);
          args.add(ranges.get(0)[1]);
          direct +=
              " union select v1.patient_id from patient_name_variant v1"
                  + " where v1.name_search ~>=~ ? and v1.name_search ~<~ ? and "
                  + condition(name, "v1.name_search", value, args);
        }
      }
      // An array, not "in (...)": the route chose to start from the persons, so their set is
      // found once (an InitPlan) and their studies read by the (patient_id, started) index. As IN,
      // the planner, misjudging the set's size, could still walk the registry newest first and
      // test every study against the set unhashed (a fuzzy name at a million studies: 300-400 ms
      // instead of 50).
      where
          .append(" and s.patient_id = any(array(with m as (")
          .append(direct)
          .append(") select m.patient_id from m union select l.patient_id from m,")
          // Per patient found, by index ("offset 0": a generic plan, expecting thousands of
          // patients, would otherwise hash every identity link).
          .append(" lateral (select l2.patient_id from identity_link l1")
          .append(" join identity_link l2 on l2.regional_id = l1.regional_id")
          .append(" where l1.patient_id = m.patient_id offset 0) l))");
    } else {
      // Tested per study while the registry is read newest first: its patient, or a record of
      // the same person at another site. "offset 0" keeps each a probe by primary key: neither
      // turned into a join nor hashed (which would first find every matching patient).
      where
          .append(" and (exists (select 1 from patient p1 where p1.id = s.patient_id and ")
          .append(matches)
          .append(" offset 0) or exists (select 1 from identity_link l1")
          .append(" join identity_link l2 on l2.regional_id = l1.regional_id")
          .append(" join patient p1 on p1.id = l2.patient_id")
          .append(" where l1.patient_id = s.patient_id and l2.patient_id <> l1.patient_id and ")
          .append(matches)
          .append(" offset 0))");
      args.addAll(matchArgs);
      args.addAll(matchArgs);
    }
  }

  /** The folded {@code value} matched on {@code column}: LIKE, or fuzzy word starts. */
  private static String condition(
      StudyMatch.PatientName name, String column, String value, List<Object> args) {
    if (name.fuzzy()) {
      return QidoMatching.fuzzyName(column, value, args);
    }
    args.add(QidoMatching.likePattern(value));
    return column + " like ? escape '!'";
  }

  /** Only the rows {@code scope} shows, for a statement reading at least {@code rowsRead}. */
  StudyMatchSql visibleTo(SearchScope scope, long rowsRead) {
    where
        .append(" and ")
        .append(ConsentScopeSql.visible(scope, "s.patient_id", "s.site_id", args, rowsRead));
    return this;
  }

  /** Whether any match is left out under {@code scope}: one row at most is looked for. */
  String withheldSql(SearchScope scope) {
    List<Object> more = new ArrayList<>();
    String hidden = ConsentScopeSql.withheld(scope, "s.patient_id", "s.site_id", more);
    args.addAll(more);
    return "select exists (" + withheldRow(hidden) + ")";
  }

  private String withheldRow(String hidden) {
    return "select 1 from imaging_study s where " + where + " and " + hidden;
  }

  /**
   * The page of the matches {@code scope} shows, newest first, with a last column telling whether
   * any match is left out; limit and offset are the last two parameters. The withheld test is an
   * uncorrelated subquery (planned once as an InitPlan), so the notice costs no second statement or
   * round trip; a page with no row has no such column and is followed by {@link #withheldSql}.
   */
  static StudyMatchSql page(
      StudyMatch match,
      Map<StudyMatch.PatientName, NameRoute.Route> routes,
      SearchScope scope,
      int limit,
      int offset) {
    StudyMatchSql q = of(match, routes);
    long rowsRead = (long) limit + offset;
    if (!scope.mayWithhold()) {
      return q.visibleTo(scope, rowsRead);
    }
    List<Object> hiddenArgs = new ArrayList<>(q.args);
    String hidden = ConsentScopeSql.withheld(scope, "s.patient_id", "s.site_id", hiddenArgs);
    q.withheldColumn = "exists (" + q.withheldRow(hidden) + ")";
    q.visibleTo(scope, rowsRead);
    hiddenArgs.addAll(q.args);
    q.args.clear();
    q.args.addAll(hiddenArgs);
    return q;
  }

  private String withheldColumn = "false";

  /**
   * The page's patient's other names (patient_name_variant, V104) in ONE probe of its primary key
   * per row, rather than one per representation. Per group, the least {name_search, family, given}
   * is the first row by name_search (unique within a patient's group), as before; min over no row
   * is null, so a group the patient has no row of is null. (min rather than array_agg ordered: no
   * sort per row.)
   */
  private static final String OTHER_NAMES =
      " left join lateral (select"
          + " min(array[v.name_search, v.family_name, v.given_names])"
          + " filter (where v.representation = 'IDE') ide,"
          + " min(array[v.name_search, v.family_name, v.given_names])"
          + " filter (where v.representation = 'SYL') syl"
          + " from patient_name_variant v where v.patient_id = p.id) o on true";

  /**
   * Newest first; the page's limit and offset are the last two parameters. The page is chosen from
   * imaging_study alone and only its rows are joined to their patients: joined before the limit,
   * every match's patient was read (for a name matching thousands, most of the work).
   */
  String sql() {
    return "select "
        + withheldColumn
        + ", s.study_instance_uid, s.site_id, s.started, s.description, p.identifier_system,"
        + " p.identifier_value, p.family_name, p.given_names, p.birth_date, p.gender, s.patient_id,"
        + " s.modalities_in_study,"
        + " s.number_of_series, s.number_of_instances, s.accession_number,"
        + " o.ide[2:3], o.syl[2:3]"
        + " from (select s.id, s.study_instance_uid, s.site_id, s.started, s.description,"
        + " s.patient_id, s.modalities_in_study, s.number_of_series, s.number_of_instances,"
        + " s.accession_number from imaging_study s where "
        + where
        + " order by s.started desc nulls last, s.id limit ? offset ?) s"
        + " join patient p on p.id = s.patient_id"
        + OTHER_NAMES
        + " order by s.started desc nulls last, s.id";
  }
}
