package io.ponte.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the test databases on the real PostgreSQL (127.0.0.1:5432, started by
 * src/main/scripts/ponte.sh), afresh on their first use in a test JVM: a database left by an
 * earlier run (another branch's migrations, rows of a crashed test) must not decide this run's
 * outcome, and Flyway refuses a schema whose applied migrations it does not know.
 * $PONTE_TEST_DB_SUFFIX lets two checkouts run their suites side by side.
 */
public final class TestDatabases {

  public static final String SERVER =
      System.getProperty(
          "ponte.test.pg",
          System.getenv().getOrDefault("PONTE_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/"));
  private static final String SUFFIX = System.getenv().getOrDefault("PONTE_TEST_DB_SUFFIX", "");

  /** The role the hub application connects as (V31__application_role.sql); owner is postgres. */
  public static final String APP_ROLE = "ponte_app";

  /** Databases this JVM has already created afresh; later uses share them. */
  private static final Set<String> FRESH = ConcurrentHashMap.newKeySet();

  private TestDatabases() {}

  /** The JDBC URL of database {@code name + suffix}, created afresh on its first use here. */
  public static synchronized String url(String name) {
    String database = name + SUFFIX;
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        PreparedStatement exists =
            admin.prepareStatement("select 1 from pg_database where datname = ?")) {
      try (Statement role = admin.createStatement()) {
        // As ponte.sh does: the hub's application role exists before its database is migrated.
        role.execute(
            "do $$ begin if not exists (select 1 from pg_roles where rolname = '"
                + APP_ROLE
                + "') then create role "
                + APP_ROLE
                + " login; end if; exception when duplicate_object or unique_violation then null;"
                + " end $$");
      }
      if (FRESH.add(database)) {
        try (Statement drop = admin.createStatement()) {
          drop.execute("drop database if exists \"" + database + "\" with (force)");
        }
      }
      exists.setString(1, database);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = admin.createStatement()) {
            create.execute("create database \"" + database + "\"");
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + SERVER + " is needed for tests: " + e.getMessage(), e);
    }
    return SERVER + database;
  }

  /**
   * A connection to test database {@code name} as its owner (postgres), past the row security and
   * grants the application role meets: tests read and arrange rows the application may not.
   */
  public static Connection asOwner(String name) throws SQLException {
    return DriverManager.getConnection(url(name), "postgres", "");
  }

  /** A connection as owner to the database behind an application {@code dataSource}. */
  public static Connection asOwner(javax.sql.DataSource dataSource) throws SQLException {
    String url;
    try (Connection c = dataSource.getConnection()) {
      url = c.getMetaData().getURL();
    }
    return DriverManager.getConnection(url, "postgres", "");
  }

  /**
   * Flyway over the hub's migrations on {@code url} as its owner, for tests of a migration or of
   * what it builds, outside an application.
   */
  public static org.flywaydb.core.api.configuration.FluentConfiguration hubMigrations(String url) {
    return org.flywaydb.core.Flyway.configure()
        .dataSource(url, "postgres", "")
        .locations("classpath:db/hub")
        .placeholders(java.util.Map.of("appRole", APP_ROLE));
  }
}
