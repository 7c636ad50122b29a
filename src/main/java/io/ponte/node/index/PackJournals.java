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
   * instance uses it again ({@link RowLockedDeletion}, so that a repair cannot interleave); then
   * its superseded row goes, in the same transaction. True when deleted.
   */
  static boolean deleteSuperseded(
      IndexDatabase db,
      Tables tables,
      String objectName,
      RowLockedDeletion.InUse inUse,
      PackIndex.Deletion deletion)
      throws SQLException, IOException {
    int slash = objectName.lastIndexOf('/');
    String sop =
        objectName.endsWith(".dcm") && slash >= 0
            ? objectName.substring(slash + 1, objectName.length() - ".dcm".length())
            : "";
    return RowLockedDeletion.deleteUnlessInUse(
        db,
        sop,
        objectName,
        inUse,
        deletion,
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("delete from " + tables.superseded() + " where blob_name = ?")) {
            st.setString(1, objectName);
            st.executeUpdate();
          }
        });
  }
}
