package io.ponte.node.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Tests only: what a node did before ingest refused a study whose retention deletion is unfinished
 * (InstanceIndex#insert), to check that the deletion, finished later, spares such a study's bytes.
 */
public final class UnfinishedDeletion {

  /** A send, or whatever else runs while the deletion is out of sight. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private UnfinishedDeletion() {}

  /**
   * Runs {@code step} (sending {@code study} again) with the study's unfinished deletion out of
   * ingest's sight, then puts the deletion back as it was; {@code c} autocommits.
   */
  public static void hiddenWhile(Connection c, String study, Step step) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(
          "create temp table hidden_deletion as select * from retention_deletion with no data");
      st.execute(
          "create temp table hidden_object as select * from retention_deletion_object"
              + " with no data");
    }
    for (String sql :
        new String[] {
          "insert into hidden_deletion select * from retention_deletion"
              + " where study_instance_uid = ?",
          "insert into hidden_object select * from retention_deletion_object"
              + " where study_instance_uid = ?",
          "delete from retention_deletion_object where study_instance_uid = ?",
          "delete from retention_deletion where study_instance_uid = ?"
        }) {
      update(c, sql, study);
    }
    step.run();
    try (Statement st = c.createStatement()) {
      st.execute("insert into retention_deletion select * from hidden_deletion");
      st.execute("insert into retention_deletion_object select * from hidden_object");
      st.execute("drop table hidden_deletion, hidden_object");
    }
  }

  private static void update(Connection c, String sql, String study) throws Exception {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, study);
      st.executeUpdate();
    }
  }
}
