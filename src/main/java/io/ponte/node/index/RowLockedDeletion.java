package io.ponte.node.index;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Deletes an object an instance may use (a Blob call) only if the instance does not use it,
 * deciding and deleting in one transaction that holds the instance's row lock: whatever points the
 * instance at that object (a repair, another upload of the same name) takes the same lock, so it
 * cannot interleave between the decision and the deletion.
 */
final class RowLockedDeletion {

  /** Whether the instance (its row locked by the caller's transaction) still uses the object. */
  @FunctionalInterface
  interface InUse {
    boolean test(Connection c, String sopInstanceUid, String objectName) throws SQLException;
  }

  /** What else the deletion's transaction does once decided (whatever the decision). */
  @FunctionalInterface
  interface Then {
    void run(Connection c) throws SQLException;
  }

  private RowLockedDeletion() {}

  /**
   * The primary's test: the instance's row, locked, points at the object as one of its own (not in
   * a pack). An instance with no row any more uses nothing: its study's deletion, which deletes
   * objects by name, may already have run while this object was written.
   */
  static InUse ownObject() {
    return (c, sop, name) -> {
      try (PreparedStatement st =
          c.prepareStatement(
              "select blob_name = ? and pack_offset is null from instance"
                  + " where sop_instance_uid = ? for update")) {
        st.setString(1, name);
        st.setString(2, sop);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    };
  }

  /**
   * Whether the instance has a row at all (locked): for an object only a gone instance leaves
   * unused, whatever its row says of it otherwise.
   */
  static InUse rowExists() {
    return (c, sop, name) -> {
      try (PreparedStatement st =
          c.prepareStatement("select 1 from instance where sop_instance_uid = ? for update")) {
        st.setString(1, sop);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next();
        }
      }
    };
  }

  /** Runs {@code deletion} unless {@code inUse}, then {@code then}, in one transaction. */
  static boolean deleteUnlessInUse(
      IndexDatabase db,
      String sopInstanceUid,
      String objectName,
      InUse inUse,
      PackIndex.Deletion deletion,
      Then then)
      throws SQLException, IOException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        boolean used = inUse.test(c, sopInstanceUid, objectName);
        if (!used) {
          deletion.delete();
        }
        then.run(c);
        c.commit();
        return !used;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
