package io.ponte.node.index;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What the primary's pack journal ({@link PackIndex}) and the replica's ({@link ReplicaPackIndex})
 * do alike: each is a journal table and a table of the objects a switched row supersedes, and each
 * finishes a row by deleting those objects, one at a time under their instance's row lock, and then
 * the row.
 */
final class PackJournals {

  /** A journal's two tables. */
  record Tables(String journal, String superseded) {}

  static final Tables PRIMARY = new Tables("pack_journal", "pack_superseded_blob");

  static final Tables REPLICA = new Tables("replica_pack_journal", "replica_superseded_blob");

  /** Whether the instance (its row locked by the caller's transaction) still uses the object. */
  @FunctionalInterface
  interface InUse {
    boolean test(Connection c, String sopInstanceUid, String objectName) throws SQLException;
  }

  private PackJournals() {}

  /** The journal row of a pack done with, and what it still listed as superseded. */
  static void forget(IndexDatabase db, Tables tables, String pack) throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st =
            c.prepareStatement(
                "delete from " + tables.superseded() + " where pack_blob_name = ?")) {
          st.setString(1, pack);
          st.executeUpdate();
        }
        try (PreparedStatement st =
            c.prepareStatement("delete from " + tables.journal() + " where blob_name = ?")) {
          st.setString(1, pack);
          st.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Deletes a superseded object ({@code study/series/sop.dcm}) unless {@code inUse} says its
   * instance uses it again, deciding and deleting in one transaction, so that a repair (which takes
   * the same row lock) cannot interleave; then its superseded row goes. True when deleted.
   */
  static boolean deleteSuperseded(
      IndexDatabase db, Tables tables, String objectName, InUse inUse, PackIndex.Deletion deletion)
      throws SQLException, IOException {
    int slash = objectName.lastIndexOf('/');
    String sop =
        objectName.endsWith(".dcm") && slash >= 0
            ? objectName.substring(slash + 1, objectName.length() - ".dcm".length())
            : "";
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        boolean used = inUse.test(c, sop, objectName);
        if (!used) {
          deletion.delete();
        }
        try (PreparedStatement st =
            c.prepareStatement("delete from " + tables.superseded() + " where blob_name = ?")) {
          st.setString(1, objectName);
          st.executeUpdate();
        }
        c.commit();
        return !used;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
