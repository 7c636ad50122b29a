package io.ponte.hub.registry;

import io.ponte.hub.consent.SearchScope;
import java.util.List;

/**
 * A {@link SearchScope} as a SQL condition over a row's hub Patient and site columns, so that the
 * registry's searches page over the rows the caller may see.
 *
 * <p>The exceptions travel as one text value (one bind whatever their number) and are tested with
 * {@code not in (select unnest(string_to_array(?, ',')))} (opt-out) or {@code in (...)} beside the
 * own-site test (opt-in). PostgreSQL runs such a subquery once per execution as a hashed SubPlan:
 * each row costs one hash probe, the index order of the search is kept, and the plan does not
 * depend on the list's value, so a prepared statement's cached generic plan serves every caller.
 * Tried and measured before this (100,000 studies, 1,500 exceptions): {@code <>
 * all(string_to_array(?, ','))} needs a custom plan to be hashed, and planning it with the 1,500
 * values (a selectivity estimate per element) took several milliseconds per search, more than the
 * search itself; with a generic plan it compared each row with every element (25 ms per page); a
 * join against {@code unnest(...)} was planned as a nested loop re-reading the list per row (260
 * ms).
 */
final class ConsentScopeSql {

  private static final String LIST = "(select unnest(string_to_array(?, ',')))";

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
      return patient + " not in " + LIST;
    }
    args.add(scope.ownSite() == null ? "" : scope.ownSite());
    if (scope.exceptions().isEmpty()) {
      return site + " = ?";
    }
    args.add(scope.exceptionList());
    return "(" + site + " = ? or " + patient + " in " + LIST + ")";
  }

  /** The condition that the row is left out (the negation of {@link #visible}). */
  static String withheld(SearchScope scope, String patient, String site, List<Object> args) {
    return "not (" + visible(scope, patient, site, args) + ")";
  }
}
