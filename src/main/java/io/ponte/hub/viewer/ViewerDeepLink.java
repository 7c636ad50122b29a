package io.ponte.hub.viewer;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OHIF parameters a deep link (from a RIS, an EMR, a report) keeps when the viewer's route
 * sends it by the restore page: the series to show, and the one to show first. Only these, and only
 * as UIDs, so the detour carries nothing else into OHIF's address.
 */
public final class ViewerDeepLink {

  static final List<String> CARRIED = List.of("SeriesInstanceUIDs", "initialSeriesInstanceUID");

  /** One UID, or a comma-separated list of them (OHIF's form for several series). */
  private static final Pattern UIDS =
      Pattern.compile(
          "[0-9]{1,64}(\\.[0-9]{1,64}){0,63}(,[0-9]{1,64}(\\.[0-9]{1,64}){0,63}){0,99}");

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
        if (value.length() <= 6_500 && UIDS.matcher(value).matches()) {
          out.append('&').append(name).append('=').append(value);
        }
      }
    }
    return out.toString();
  }
}
