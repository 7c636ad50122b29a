package io.ponte.hub;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.flyway.FlywayDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The hub's migrations run as the database owner ({@code PONTE_DB_USER}), while the application
 * connects as a role that may not rewrite audit rows (V31__application_role.sql). Flyway gets a
 * connection of its own, to the hub's database, as the owner.
 */
@Singleton
@FlywayDataSource("hub")
public class HubMigrations implements FlywayConfigurationCustomizer {

  @ConfigProperty(name = "quarkus.datasource.hub.jdbc.url")
  String url;

  @Inject Owner owner;

  /** The owner's credentials ({@code ponte.hub.migration.*}). */
  @ConfigMapping(prefix = "ponte.hub.migration")
  public interface Owner {
    /** The role that owns the hub's schema ({@code PONTE_DB_USER}). */
    @WithDefault("postgres")
    String username();

    /** Its password ({@code PONTE_DB_PASSWORD}); none with trust authentication. */
    Optional<String> password();
  }

  @ConfigProperty(name = "quarkus.datasource.hub.username")
  String appRole;

  @ConfigProperty(name = "quarkus.datasource.hub.password")
  Optional<String> appPassword;

  @Override
  public void customize(FluentConfiguration configuration) {
    configuration.dataSource(url, owner.username(), owner.password().orElse(""));
    configuration.callbacks(new AppRolePassword());
  }

  /**
   * After every migration, gives the application's role (created by V31) the password the hub
   * connects with, when it has one: so an operator rotates it by changing the secret only.
   */
  private final class AppRolePassword extends BaseCallback {
    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.AFTER_MIGRATE;
    }

    @Override
    public void handle(Event event, Context context) {
      if (appPassword.isEmpty() || !appRole.matches("[a-z_][a-z0-9_]{0,62}")) {
        return;
      }
      try (Statement s = context.getConnection().createStatement()) {
        s.execute(
            "alter role \""
                + appRole
                + "\" password '"
                + appPassword.get().replace("'", "''")
                + "'");
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not set the password of database role " + appRole, e);
      }
    }
  }
}
