package io.ponte.hub;

import java.util.Collections;

/**
 * Building native SQL for the hub's JPA queries: JDBC-style {@code ?} placeholders written in
 * order, turned into JPA's ordinal form, so a query built piece by piece never counts its
 * parameters by hand.
 */
public final class NativeSql {
  private NativeSql() {}

  /** JPA ordinal form (?1, ?2, ...) of the JDBC-style placeholders, in order. */
  public static String numbered(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 32);
    int n = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      out.append(c);
      if (c == '?') {
        out.append(++n);
      }
    }
    return out.toString();
  }

  /** {@code n} JDBC-style placeholders for an IN list: "?, ?, ?". */
  public static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
