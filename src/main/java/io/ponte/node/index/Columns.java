package io.ponte.node.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** JDBC conversions the index's statements share. */
final class Columns {

  private Columns() {}

  static void setInt(PreparedStatement st, int index, Integer value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setInt(index, value);
    }
  }

  static Integer integer(ResultSet rs, int column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /**
   * Index columns are bounded by the VR's maximum; longer (non-conformant) values stay whole in
   * metadata.
   */
  static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
