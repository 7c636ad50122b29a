package io.ponte.hub.registry;

import io.ponte.dicomweb.QidoMatching;
import io.ponte.hub.consent.SearchScope;
import io.ponte.text.NameFolding;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  private StudyMatchSql() {}

  static StudyMatchSql of(StudyMatch match) {
    StudyMatchSql q = new StudyMatchSql();
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
      // Accents and case folded on both sides (patient.name_search is family^given folded), and
      // the match follows identity links: one spelling finds the person's studies at every site.
      String value = NameFolding.fold(name.value());
      List<Object> conditionArgs = new ArrayList<>();
      String condition;
      if (name.fuzzy()) {
        condition =
            wordStarts(value, conditionArgs)
                + QidoMatching.fuzzyName("p1.name_search", value, conditionArgs);
      } else {
        condition = "p1.name_search like ? escape '!'";
        conditionArgs.add(
            QidoMatching.likePattern(
                value.contains("^") || QidoMatching.hasWildcard(value) ? value : value + "^*"));
      }
      where
          .append(" and s.patient_id in (")
          .append(String.format(PERSON_OF, condition))
          .append(')');
      args.addAll(conditionArgs);
      args.addAll(conditionArgs);
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
   * The index pre-filter of a fuzzy name match: for each word {@link QidoMatching#fuzzyName} looks
   * for at a word start, the patients with a name word (patient_name_word, V98) starting with its
   * literal part (up to a {@code ?}), ANDed before that condition, which still decides. Without it
   * the match was a LIKE '% word%' over every patient.
   */
  private static String wordStarts(String value, List<Object> args) {
    StringBuilder sql = new StringBuilder();
    for (String word : value.toLowerCase(Locale.ROOT).split("[\\s^=,]+")) {
      String literal = word.replace("*", "");
      int wildcard = literal.indexOf('?');
      if (wildcard >= 0) {
        literal = literal.substring(0, wildcard);
      }
      if (literal.isEmpty()) {
        continue;
      }
      sql.append(
          "p1.id in (select w.patient_id from patient_name_word w where w.word like ? escape '!')"
              + " and ");
      args.add(QidoMatching.likePattern(literal) + "%");
    }
    return sql.toString();
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
  static StudyMatchSql page(StudyMatch match, SearchScope scope, int limit, int offset) {
    StudyMatchSql q = of(match);
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

  /** Newest first; the page's limit and offset are the last two parameters. */
  String sql() {
    return "select "
        + withheldColumn
        + ", s.study_instance_uid, s.site_id, s.started, s.description, p.identifier_system,"
        + " p.identifier_value, p.family_name, p.given_names, p.birth_date, p.gender, s.patient_id,"
        + " s.modalities_in_study,"
        + " s.number_of_series, s.number_of_instances, s.accession_number"
        + " from imaging_study s join patient p on p.id = s.patient_id where "
        + where
        + " order by s.started desc nulls last, s.id limit ? offset ?";
  }
}
