package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestDatabases;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A node of its own for an IT that runs the packaged node as an operator does (killed with SIGKILL
 * mid-run, then run again): a database, Blob container (in Azurite) and cache directory named for
 * it, the builder of its processes, and what the test reads back (row counts, instance rows, their
 * bytes in Blob). {@link #drop()} removes the database and the container.
 */
public final class IsolatedNode {

  private final String site;
  private final String database;
  private final String container;
  private final Path cache;

  private IsolatedNode(String site, String database) {
    this.site = site;
    this.database = database;
    this.container = database.replace('_', '-');
    this.cache = Paths.get("target", "it-cache", database).toAbsolutePath();
  }

  /** A node of {@code site} whose database is {@code ponte_node_<name>_<random>}. */
  public static IsolatedNode named(String site, String name) {
    return new IsolatedNode(
        site, "ponte_node_" + name + "_" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** The node's processes: its database, container and cache; add what the test needs. */
  public PonteProcess.Builder builder() {
    return PonteProcess.node(site, database)
        .property("ponte.node.storage.blob-container", container)
        .env("PONTE_NODE_CACHE_DIR", cache.toString());
  }

  /** The node's cache directory (its files are named by the index's cache_path). */
  public Path cache() {
    return cache;
  }

  public BlobContainerClient container() {
    return new BlobServiceClientBuilder()
        .connectionString(NodeStorageConfig.AZURITE)
        .buildClient()
        .getBlobContainerClient(container);
  }

  /** The names of every object in the node's container. */
  public List<String> blobNames() {
    List<String> names = new ArrayList<>();
    container().listBlobs().forEach(b -> names.add(b.getName()));
    return names;
  }

  /**
   * An instance's bytes in Blob: {@code size} bytes from {@code packOffset} in its pack, or (offset
   * null) its own blob whole.
   */
  public InputStream open(String blobName, String packOffset, long size) {
    if (packOffset == null) {
      return container().getBlobClient(blobName).openInputStream();
    }
    return container()
        .getBlobClient(blobName)
        .openInputStream(new BlobRange(Long.parseLong(packOffset), size), null);
  }

  public Connection connect() throws SQLException {
    return TestDatabases.asOwner(database);
  }

  /** {@code select count(*) from <what>}; 0 while the process has not made its database yet. */
  public long count(String what) {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + what)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException notYet) {
      // The database or table is created by the node's process at start-up.
      return 0;
    }
  }

  /** The given columns of every indexed instance, by SOP Instance UID. */
  public Map<String, String[]> instances(String... columns) throws SQLException {
    Map<String, String[]> rows = new HashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select sop_instance_uid, " + String.join(", ", columns) + " from instance")) {
      while (rs.next()) {
        String[] row = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
          row[i] = rs.getString(i + 2);
        }
        rows.put(rs.getString(1), row);
      }
    }
    return rows;
  }

  /**
   * Waits (polling every {@code poll}, for {@code within} at most) until {@code reached}, checks
   * that {@code process} is still running then ({@code running} says what it should be doing), and
   * kills it with SIGKILL whatever happened.
   */
  public static void killWhen(
      PonteProcess process, BooleanSupplier reached, Duration within, Duration poll, String running)
      throws InterruptedException {
    try {
      long deadline = System.currentTimeMillis() + within.toMillis();
      while (!reached.getAsBoolean()
          && System.currentTimeMillis() < deadline
          && process.isAlive()) {
        Thread.sleep(poll.toMillis());
      }
      assertThat(process.isAlive()).as("%s (log %s)", running, process.log()).isTrue();
    } finally {
      process.kill();
    }
  }

  /** Drops the node's database and deletes its container. */
  public void drop() throws SQLException {
    String url = TestDatabases.url(database);
    try (Connection admin =
            DriverManager.getConnection(TestDatabases.SERVER + "postgres", "postgres", "");
        Statement st = admin.createStatement()) {
      st.execute(
          "drop database if exists \""
              + url.substring(url.lastIndexOf('/') + 1)
              + "\" with (force)");
    }
    container().deleteIfExists();
  }
}
