package io.ponte.hub.registry;

import io.ponte.hub.consent.SearchScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A {@link SearchScope} as a SQL condition over a row's hub Patient and site columns, so that the
 * registry's searches page over the rows the caller may see.
 *
 * <p>The exceptions travel as one text value (one bind whatever their number) and are tested with
 * {@code <> all(string_to_array(?, ','))} (opt-out) or {@code = any(...)} beside the own-site test
 * (opt-in). Planned with the value known, PostgreSQL folds the array into a constant and hashes it
 * (PostgreSQL 14+), so each row costs one hash probe and the index order of the search is kept: at
 * 100,000 studies and 1,500 exceptions a newest-first page takes 2 ms. A generic plan (which a
 * server-side prepared statement gets after five runs) would compare each row with every element
 * (25 ms per page, 560 ms at offset 3,000), and a join against {@code unnest(...)} was planned as a
 * nested loop re-reading the list per row (260 ms); hence {@link #CUSTOM_PLANS} before a search
 * that binds exceptions.
 */
final class ConsentScopeSql {

  /** Plans this transaction's statements with their values, so the exception list is hashed. */
  static final String CUSTOM_PLANS = "set local plan_cache_mode = force_custom_plan";

  private ConsentScopeSql() {}

  /** The condition that the row is shown; binds appended to {@code args}. */
  static String visible(SearchScope scope, String patient, String site, List<Object> args) {
    if (scope.unrestricted()) {
      return "true";
    }
    if (scope.shownByDefault()) {
      if (scope.exceptions().isEmpty()) {
        return "true";
      }
      args.add(scope.exceptionList());
      return patient + " <> all(string_to_array(?, ','))";
    }
    args.add(scope.ownSite() == null ? "" : scope.ownSite());
    if (scope.exceptions().isEmpty()) {
      return site + " = ?";
    }
    args.add(scope.exceptionList());
    return "(" + site + " = ? or " + patient + " = any(string_to_array(?, ',')))";
  }

  /** The condition that the row is left out (the negation of {@link #visible}). */
  static String withheld(SearchScope scope, String patient, String site, List<Object> args) {
    return "not (" + visible(scope, patient, site, args) + ")";
  }

  /** Whether a search under {@code scope} binds an exception list (and wants custom plans). */
  static boolean bindsExceptions(SearchScope scope) {
    return !scope.unrestricted() && !scope.exceptions().isEmpty();
  }

  /** {@link #CUSTOM_PLANS} on a JDBC connection inside the search's transaction. */
  static void customPlans(Connection c, SearchScope scope) throws SQLException {
    if (bindsExceptions(scope)) {
      try (Statement st = c.createStatement()) {
        st.execute(CUSTOM_PLANS);
      }
    }
  }

  /** {@link #CUSTOM_PLANS} through the hub's EntityManager inside the search's transaction. */
  static void customPlans(jakarta.persistence.EntityManager em, SearchScope scope) {
    if (bindsExceptions(scope)) {
      em.createNativeQuery(CUSTOM_PLANS).executeUpdate();
    }
  }
}
