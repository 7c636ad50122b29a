package io.ponte.node.index;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;

/** The node's database as the index's readers and writers reach it. */
@ApplicationScoped
class IndexDatabase {

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  Connection connection() throws SQLException {
    return dataSource.get().getConnection();
  }
}
