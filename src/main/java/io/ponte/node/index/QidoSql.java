package io.ponte.node.index;

import io.ponte.dicomweb.QidoMatching;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL for a {@link QidoQuery} over the node's index (db/node V1): every value is a bind
 * parameter, column aliases are {@code a_<tag>} for catalogue attributes and {@code m_<tag>} for
 * tags read from the stored metadata. Ordered for stable paging.
 */
final class QidoSql {

  /** The statement and its parameters, in order. */
  record Statement(String sql, List<Object> params) {}

  private QidoSql() {}

  static Statement of(QidoQuery q) {
    List<Object> params = new ArrayList<>();
    StringBuilder select = new StringBuilder("select st.study_instance_uid as k_study");
    if (q.level() != QidoLevel.STUDY) {
      select.append(", se.series_instance_uid as k_series");
    }
    if (q.level() == QidoLevel.INSTANCE) {
      select.append(", i.sop_instance_uid as k_instance");
    }
    for (QidoAttribute a : q.returned().values()) {
      select.append(", ").append(a.sql()).append(" as a_").append(a.tag());
    }
    String metadata =
        switch (q.level()) {
          case INSTANCE -> "i.metadata";
          case SERIES ->
              "(select x.metadata from instance x where x.series_instance_uid = se.series_instance_uid"
                  + " order by x.instance_number nulls last, x.sop_instance_uid limit 1)";
          case STUDY ->
              "(select x.metadata from instance x where x.study_instance_uid = st.study_instance_uid"
                  + " order by x.instance_number nulls last, x.sop_instance_uid limit 1)";
        };
    if (q.allMetadata()) {
      select.append(", ").append(metadata).append("::text as m_all");
    } else if (!q.metadataTags().isEmpty()) {
      // One subquery per row, not per tag: pick the wanted members from a single metadata object.
      select
          .append(", (select jsonb_object_agg(kv.key, kv.value) from jsonb_each(")
          .append(metadata)
          .append(") kv where kv.key = any(?))::text as m_some");
      params.add(q.metadataTags().toArray(new String[0]));
    }
    StringBuilder from =
        new StringBuilder(
            switch (q.level()) {
              case STUDY -> " from study st";
              case SERIES ->
                  " from series se join study st on st.study_instance_uid = se.study_instance_uid";
              case INSTANCE ->
                  " from instance i join series se on se.series_instance_uid = i.series_instance_uid"
                      + " join study st on st.study_instance_uid = i.study_instance_uid";
            });
    List<String> where = new ArrayList<>();
    if (q.studyUid() != null) {
      where.add("st.study_instance_uid = ?");
      params.add(q.studyUid());
    }
    if (q.seriesUid() != null) {
      where.add("se.series_instance_uid = ?");
      params.add(q.seriesUid());
    }
    for (QidoQuery.Condition c : q.conditions()) {
      where.add(condition(c, q.fuzzy(), params));
    }
    StringBuilder sql = new StringBuilder(select).append(from);
    if (!where.isEmpty()) {
      sql.append(" where ").append(String.join(" and ", where));
    }
    sql.append(
        switch (q.level()) {
          case STUDY ->
              " order by st.study_date desc nulls last, st.study_time desc nulls last, st.study_instance_uid";
          case SERIES ->
              " order by st.study_instance_uid, se.series_number nulls last, se.series_instance_uid";
          case INSTANCE ->
              " order by st.study_instance_uid, se.series_number nulls last, se.series_instance_uid,"
                  + " i.instance_number nulls last, i.sop_instance_uid";
        });
    sql.append(" limit ? offset ?");
    params.add(q.limit());
    params.add(q.offset());
    return new Statement(sql.toString(), params);
  }

  private static String condition(QidoQuery.Condition c, boolean fuzzy, List<Object> params) {
    QidoAttribute a = c.attribute();
    String v = c.value();
    switch (a.match()) {
      case UID -> {
        List<String> uids = QidoQuery.uidList(v);
        params.add(uids.toArray(new String[0]));
        return a.sql() + " = any(?)";
      }
      case CODE_LIST -> {
        params.add(QidoMatching.codes(v));
        return a.sql() + " = any(?)";
      }
      case ANY_SERIES_MODALITY -> {
        params.add(QidoMatching.codes(v));
        return "exists (select 1 from series s3 where s3.study_instance_uid = st.study_instance_uid"
            + " and s3.modality = any(?))";
      }
      case NUMBER -> {
        params.add(Integer.parseInt(v.trim()));
        return a.sql() + " = ?";
      }
      case DATE, TIME -> {
        String[] ends = QidoMatching.range(a.keyword(), v);
        if (ends[0].equals(ends[1])) {
          params.add(ends[0]);
          return a.sql() + " = ?";
        }
        List<String> parts = new ArrayList<>();
        if (!ends[0].isEmpty()) {
          params.add(ends[0]);
          parts.add(a.sql() + " >= ?");
        }
        if (!ends[1].isEmpty()) {
          // A time range end "1200" includes 1200xx: compare on the prefix length of the bound.
          params.add(ends[1]);
          parts.add(
              a.match() == QidoAttribute.Match.TIME
                  ? "substr(" + a.sql() + ", 1, " + ends[1].length() + ") <= ?"
                  : a.sql() + " <= ?");
        }
        return "(" + String.join(" and ", parts) + ")";
      }
      case PERSON_NAME -> {
        if (fuzzy) {
          return QidoMatching.fuzzyName(a.sql(), v, params);
        }
        String pattern = QidoMatching.likePattern(v);
        if (v.indexOf('=') >= 0) {
          params.add(pattern);
          return a.sql() + " ilike ? escape '!'";
        }
        // A value without '=' matches any component group (PS3.4 C.2.2.2.1): alphabetic,
        // ideographic ("山田*" of "Yamada^Tarou=山田^太郎=やまだ^たろう") or phonetic.
        List<String> groups = new ArrayList<>();
        for (int g = 1; g <= 3; g++) {
          params.add(pattern);
          groups.add("split_part(" + a.sql() + ", '=', " + g + ") ilike ? escape '!'");
        }
        return "(" + String.join(" or ", groups) + ")";
      }
      default -> {
        if (QidoMatching.hasWildcard(v)) {
          params.add(QidoMatching.likePattern(v));
          return a.sql() + " like ? escape '!'";
        }
        params.add(v);
        return a.sql() + " = ?";
      }
    }
  }
}
