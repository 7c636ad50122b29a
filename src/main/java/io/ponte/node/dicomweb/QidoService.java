package io.ponte.node.dicomweb;

import io.agroal.api.AgroalDataSource;
import io.ponte.role.PonteConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs QIDO-RS searches on the node's index. The result is produced while the client reads it: a
 * server-side cursor (autocommit off + fetch size) feeds {@link QidoResultWriter} row by row.
 */
@ApplicationScoped
public class QidoService {

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject NodeDicomwebConfig config;

  @Inject PonteConfig ponte;

  public StreamingOutput search(QidoQuery query) {
    QidoSql.Statement statement = QidoSql.of(query);
    QidoResultWriter writer = new QidoResultWriter(query, ponte.publicUrl());
    return out -> {
      try (Connection c = dataSource.get().getConnection()) {
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
          bind(c, ps, statement.params());
          ps.setFetchSize(config.fetchSize());
          try (ResultSet rs = ps.executeQuery()) {
            writer.write(rs, out);
          }
        } finally {
          c.rollback();
          c.setReadOnly(false);
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new IOException("QIDO-RS query failed", e);
      }
    };
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
