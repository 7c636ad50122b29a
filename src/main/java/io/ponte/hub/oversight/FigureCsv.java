package io.ponte.hub.oversight;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A figure table as CSV (RFC 4180): a header row, then the rows as the page shows them. A cell that
 * a spreadsheet would run as a formula (free text such as an emergency reason) is prefixed with a
 * quote mark, so opening the download runs nothing.
 */
public final class FigureCsv {

  private FigureCsv() {}

  public static String of(FigureTable table) {
    StringBuilder csv = new StringBuilder();
    line(csv, table.columns());
    table.rows().forEach(row -> line(csv, row));
    return csv.toString();
  }

  private static void line(StringBuilder csv, List<String> cells) {
    csv.append(cells.stream().map(FigureCsv::cell).collect(Collectors.joining(","))).append("\r\n");
  }

  static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      v = "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  private static boolean isNumber(String v) {
    return v.matches("-?\\d+(\\.\\d+)?");
  }
}
