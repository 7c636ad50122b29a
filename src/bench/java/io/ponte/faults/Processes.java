package io.ponte.faults;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hubs and nodes of the packaged application for one suite run, each with its own database and Blob
 * container (named for the run, dropped at the end), so a run never meets what an earlier one left
 * and never touches the demo's data.
 */
public final class Processes {

  public static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** The suite whose run this is: names its databases and containers ({@code ponte_<suite>_*}). */
  private static String suite = "faults";

  private static final List<String> DATABASES = new ArrayList<>();
  private static final List<String> CONTAINERS = new ArrayList<>();

  private Processes() {}

  /** Names this run's databases and containers for another suite (before the first is named). */
  public static void suite(String name) {
    suite = name;
  }

  /** A database name of this run (the test suffix is added by TestDatabases). */
  public static String database(String what) {
    String name = "ponte_" + suite + "_" + what + "_" + RUN;
    DATABASES.add(name);
    return name;
  }

  public static String container(String what) {
    String name = "ponte-" + suite + "-" + what + "-" + RUN;
    CONTAINERS.add(name);
    return name;
  }

  /**
   * A node of hospital-a on the shared services: DIMSE on {@code dimsePort}, cache in {@code
   * cache}, uploads every second, publishing off unless the scenario turns it on.
   */
  static PonteProcess.Builder node(String database, Path cache, int dimsePort, String container) {
    return node("hospital-a", database, cache, dimsePort, container);
  }

  /** The same for a node of {@code site}. */
  public static PonteProcess.Builder node(
      String site, String database, Path cache, int dimsePort, String container) {
    return PonteProcess.node(site, database)
        .property("ponte.node.dimse.port", Integer.toString(dimsePort))
        .property("ponte.node.publish.enabled", "false")
        .property("ponte.node.storage.blob-container", container)
        .property("ponte.node.storage.upload-interval", "1s")
        .property("ponte.node.storage.upload-backoff", "1s")
        .property("ponte.node.storage.upload-max-backoff", "2s")
        .env("PONTE_NODE_CACHE_DIR", cache.toString());
  }

  public static String jdbc(String database) {
    return TestDatabases.url(database);
  }

  /** Drops this run's databases and containers on the shared services (best effort). */
  public static void cleanUp() {
    String suffix = System.getenv().getOrDefault("PONTE_TEST_DB_SUFFIX", "");
    try (Connection admin =
            DriverManager.getConnection(TestDatabases.SERVER + "postgres", "postgres", "");
        Statement st = admin.createStatement()) {
      for (String db : DATABASES) {
        st.execute("drop database if exists \"" + db + suffix + "\" with (force)");
      }
    } catch (Exception e) {
      System.out.println("clean-up: databases left: " + e.getMessage());
    }
    try {
      var blob =
          new BlobServiceClientBuilder().connectionString(NodeStorageConfig.AZURITE).buildClient();
      for (String c : CONTAINERS) {
        blob.getBlobContainerClient(c).deleteIfExists();
      }
    } catch (Exception e) {
      System.out.println("clean-up: containers left: " + e.getMessage());
    }
  }

  public static void quietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // best effort
    }
  }
}
