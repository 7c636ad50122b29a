package io.ponte.hub.viewer;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The OHIF parameters a deep link (from a RIS, an EMR, a report) keeps when the viewer's route
 * sends it by the restore page: the series to show, and the one to show first. Only these, and only
 * as UIDs, so the detour carries nothing else into OHIF's address.
 */
public final class ViewerDeepLink {

  static final List<String> CARRIED = List.of("SeriesInstanceUIDs", "initialSeriesInstanceUID");

  /** Series a link may name at most (OHIF's form for several is a comma-separated list). */
  private static final int MAX_SERIES = 100;

  private ViewerDeepLink() {}

  /**
   * The carried parameters of {@code query} (a query string, without its {@code ?}), each value
   * checked, as {@code &name=value...}; empty when there are none.
   */
  public static String carried(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    var parameters = new QueryStringDecoder(query, false).parameters();
    StringBuilder out = new StringBuilder();
    for (String name : CARRIED) {
      for (String value : parameters.getOrDefault(name, List.of())) {
        if (uids(value)) {
          out.append('&').append(name).append('=').append(value);
        }
      }
    }
    return out.toString();
  }

  /** One UID, or a comma-separated list of them, each valid (PS3.5 9.1). */
  private static boolean uids(String value) {
    String[] each = value.split(",", -1);
    return each.length <= MAX_SERIES
        && java.util.Arrays.stream(each).allMatch(io.ponte.dicom.UID::isValid);
  }
}
