package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs QIDO-RS searches on the index. Matches are handed over while the caller writes them: a
 * server-side cursor (autocommit off + fetch size) feeds the consumer row by row, so a large result
 * is never held in memory.
 */
@ApplicationScoped
public class QidoIndexReader {

  /** Receives the matches one at a time; may fail writing them. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(QidoRow row) throws IOException;
  }

  @Inject IndexDatabase db;

  /** Hands every match of {@code query} to {@code rows}, in the query's order. */
  public void search(QidoQuery query, int fetchSize, RowConsumer rows)
      throws IOException, SQLException {
    QidoSql.Statement statement = QidoSql.of(query);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
        bind(c, ps, statement.params());
        ps.setFetchSize(fetchSize);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.accept(row(query, rs));
          }
        }
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(true);
      }
    }
  }

  private static QidoRow row(QidoQuery query, ResultSet rs) throws SQLException {
    Map<String, Object> values = new HashMap<>();
    for (QidoAttribute a : query.returned().values()) {
      values.put(a.tag(), rs.getObject("a_" + a.tag()));
    }
    String metadata =
        query.allMetadata()
            ? rs.getString("m_all")
            : query.metadataTags().isEmpty() ? null : rs.getString("m_some");
    return new QidoRow(
        rs.getString("k_study"),
        query.level() == QidoLevel.STUDY ? null : rs.getString("k_series"),
        query.level() == QidoLevel.INSTANCE ? rs.getString("k_instance") : null,
        values,
        metadata);
  }

  private static void bind(Connection c, PreparedStatement ps, List<Object> params)
      throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof String[] values) {
        Array array = c.createArrayOf("varchar", values);
        ps.setArray(i + 1, array);
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }
}
