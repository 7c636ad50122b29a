package io.ponte.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub test database's audit rows, read as owner: a test notes {@link #maxSeq()} before a
 * request and reads what the request wrote after it.
 */
public final class AuditRows {

  private static final String DATABASE = "ponte_hub_test";

  private AuditRows() {}

  /** The newest audit row's seq, 0 when there is none. */
  public static long maxSeq() throws SQLException {
    try (Connection c = TestDatabases.asOwner(DATABASE);
        PreparedStatement s = c.prepareStatement("select coalesce(max(seq), 0) from audit_record");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The audit rows written after {@code seq}, in chain order, as column maps. */
  public static List<Map<String, String>> after(long seq) throws SQLException {
    try (Connection c = TestDatabases.asOwner(DATABASE);
        PreparedStatement s =
            c.prepareStatement("select * from audit_record where seq > ? order by seq")) {
      s.setLong(1, seq);
      List<Map<String, String>> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** The client address of every audit row written after {@code seq}, in order. */
  public static List<String> clientAddressesAfter(long seq) throws SQLException {
    return after(seq).stream().map(row -> row.get("client_address")).toList();
  }
}
