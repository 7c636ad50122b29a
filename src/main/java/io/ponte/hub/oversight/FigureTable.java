package io.ponte.hub.oversight;

import java.util.List;

/**
 * One table of the authority's figures, as the page, its CSV and its JSON all show it: the same
 * rows, so the three cannot disagree. {@code id} names the table (also its CSV file and its
 * caption's message); the last column holds the count a chart draws, when {@code chart} is set.
 */
public record FigureTable(String id, List<String> columns, List<List<String>> rows, boolean chart) {

  public FigureTable {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The sum of the last column: what a figure's headline shows. */
  public long total() {
    return rows.stream().mapToLong(r -> Long.parseLong(r.get(r.size() - 1))).sum();
  }
}
