package io.ponte.hub.fhir;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.Actors;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A search's query parameters, checked against what a resource supports: an unknown parameter or
 * modifier is a 400, never silently ignored (a client that filtered by something we do not know
 * would get everything).
 */
public final class SearchParams {

  /**
   * Accepted on every search and otherwise ignored: formatting (JSON only) and the audit purpose.
   */
  static final Set<String> NEUTRAL = Set.of("_format", "_pretty", Actors.PURPOSE_PARAM);

  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 200;

  private final Map<String, List<String>> values;

  private SearchParams(Map<String, List<String>> values) {
    this.values = values;
  }

  public static SearchParams of(MultivaluedMap<String, String> query, Set<String> supported) {
    Map<String, List<String>> values = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String name = e.getKey();
      if (name.equals("_format")) {
        for (String format : e.getValue()) {
          if (!Set.of("json", "application/json", "application/fhir+json").contains(format)) {
            throw new ProblemException(ErrorCode.NOT_ACCEPTABLE, "only _format=json is offered");
          }
        }
        continue;
      }
      if (NEUTRAL.contains(name)) {
        continue;
      }
      if (!supported.contains(name)) {
        throw new ProblemException(
            ErrorCode.BAD_REQUEST,
            "unsupported search parameter '"
                + name
                + "'; supported: "
                + String.join(", ", new java.util.TreeSet<>(supported)));
      }
      for (String v : e.getValue()) {
        if (v == null || v.isBlank()) {
          throw new ProblemException(
              ErrorCode.BAD_REQUEST, "search parameter '" + name + "' has no value");
        }
      }
      values.put(name, List.copyOf(e.getValue()));
    }
    return new SearchParams(values);
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Comma means OR inside one occurrence ({@code \,} escapes a comma). */
  public static List<String> orValues(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
        current.append(',');
        i++;
      } else if (c == ',') {
        out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    for (String v : out) {
      if (v.isBlank()) {
        throw new ProblemException(ErrorCode.BAD_REQUEST, "empty value in '" + value + "'");
      }
    }
    return out;
  }

  /** A token {@code system|code}, {@code |code} (no system) or {@code code} (any system). */
  public record Token(String system, String code, boolean anySystem) {
    public static Token parse(String value) {
      int bar = value.indexOf('|');
      if (bar < 0) {
        return new Token(null, value, true);
      }
      String system = value.substring(0, bar);
      String code = value.substring(bar + 1);
      if (code.isEmpty()) {
        throw new ProblemException(
            ErrorCode.BAD_REQUEST, "token '" + value + "' has no code/value");
      }
      return new Token(system.isEmpty() ? null : system, code, false);
    }
  }

  public int count() {
    List<String> v = all("_count");
    if (v.isEmpty()) {
      return DEFAULT_COUNT;
    }
    try {
      int n = Integer.parseInt(v.get(v.size() - 1));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, MAX_COUNT);
    } catch (NumberFormatException e) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "_count must be a non-negative integer");
    }
  }

  public int offset() {
    List<String> v = all("_offset");
    if (v.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v.get(v.size() - 1));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "_offset must be a non-negative integer");
    }
  }

  /** The query string of this search (paging parameters replaced), for self/next/previous links. */
  public String queryString(int count, int offset) {
    StringJoiner q = new StringJoiner("&");
    values.forEach(
        (name, list) -> {
          if (!name.equals("_count") && !name.equals("_offset")) {
            list.forEach(v -> q.add(encode(name) + "=" + encode(v)));
          }
        });
    q.add("_count=" + count);
    if (offset > 0) {
      q.add("_offset=" + offset);
    }
    return q.toString();
  }

  /** For the audit record: the criteria as received. */
  public String describe() {
    StringJoiner q = new StringJoiner("&");
    values.forEach((name, list) -> list.forEach(v -> q.add(name + "=" + v)));
    return q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
