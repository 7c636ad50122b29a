package io.ponte.text;

/** Base URLs as configured (with or without a trailing slash) made ready to have paths appended. */
public final class Urls {
  private Urls() {}

  /**
   * {@code url} without its trailing slashes: {@code http://h/x/} and {@code http://h/x} both give
   * the latter.
   */
  public static String withoutTrailingSlash(String url) {
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '/') {
      end--;
    }
    return url.substring(0, end);
  }
}
