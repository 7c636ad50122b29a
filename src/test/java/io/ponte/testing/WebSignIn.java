package io.ponte.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: follows the hub's redirect to the real Keycloak, submits its login
 * form, and comes back with the hub's session cookie, so quick HTML checks of the pages run in
 * plain HTTP. Cookies live in this object; every redirect is followed by hand, so a test can also
 * look at each hop.
 */
public final class WebSignIn {

  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private final HttpClient http;

  /**
   * Cookies by host, then name. Kept by hand: Keycloak marks its login cookies Secure, which
   * browsers honour on http://localhost and 127.0.0.1 but java.net's CookieManager does not.
   */
  private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

  /** Every Set-Cookie header this browser was sent, as sent (to check Secure, SameSite, ...). */
  private final List<String> setCookies = new java.util.concurrent.CopyOnWriteArrayList<>();

  private WebSignIn() {
    http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** This browser's cookie {@code name} for {@code host}, or null. */
  public String cookie(String host, String name) {
    return cookies.getOrDefault(host, Map.of()).get(name);
  }

  /** This browser's cookies for {@code host} as one Cookie header, for another HTTP client. */
  public String cookieHeader(String host) {
    return cookies.getOrDefault(host, Map.of()).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }

  /** Every Set-Cookie header this browser has been sent, in order. */
  public List<String> setCookies() {
    return List.copyOf(setCookies);
  }

  /** A fresh visitor: no cookies. */
  public static WebSignIn visitor() {
    return new WebSignIn();
  }

  /** Opens {@code pageUrl}, signs in at Keycloak as {@code username}, and returns the page. */
  public static Signed signIn(String pageUrl, String username) {
    WebSignIn browser = new WebSignIn();
    return new Signed(browser, browser.signInAt(pageUrl, username));
  }

  /** A signed-in visitor and the page the sign-in landed on. */
  public record Signed(WebSignIn browser, HttpResponse<String> landed) {}

  private HttpResponse<String> signInAt(String pageUrl, String username) {
    HttpResponse<String> toKeycloak = get(pageUrl, Map.of());
    expectRedirect(toKeycloak);
    HttpResponse<String> login = get(location(toKeycloak), Map.of());
    Matcher action = FORM_ACTION.matcher(login.body());
    if (login.statusCode() != 200 || !action.find()) {
      throw new IllegalStateException(
          "no Keycloak login form (" + login.statusCode() + "): " + login.body());
    }
    HttpResponse<String> back =
        post(
            action.group(1).replace("&amp;", "&"),
            Map.of("username", username, "password", Tokens.DEMO_PASSWORD));
    expectRedirect(back);
    // The hub exchanges the code, sets its session cookie and sends the browser to the page.
    HttpResponse<String> response = get(location(back), Map.of());
    for (int hop = 0; hop < 5 && isRedirect(response); hop++) {
      response = get(URI.create(pageUrl).resolve(location(response)).toString(), Map.of());
    }
    return response;
  }

  public HttpResponse<String> get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  /** A GET whose body is kept as bytes (a picture, a CSV as sent). */
  public HttpResponse<byte[]> getBytes(String url) {
    return send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A form POST (application/x-www-form-urlencoded) with this browser's cookies. */
  public HttpResponse<String> post(String url, Map<String, String> form) {
    return post(url, form, Map.of());
  }

  /** A form POST with extra headers (e.g. {@code Accept-Language}). */
  public HttpResponse<String> post(
      String url, Map<String, String> form, Map<String, String> headers) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  /** A request of any method, content type and body, with this browser's cookies. */
  public HttpResponse<String> send(String method, String url, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    return send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    Map<String, String> jar =
        cookies.computeIfAbsent(request.uri().getHost(), h -> new LinkedHashMap<>());
    HttpRequest withCookies = request;
    if (!jar.isEmpty()) {
      String header = cookieHeader(request.uri().getHost());
      String given = request.headers().firstValue("Cookie").orElse(null);
      withCookies =
          HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Cookie"))
              .header("Cookie", given == null ? header : given + "; " + header)
              .build();
    }
    try {
      HttpResponse<T> response = http.send(withCookies, body);
      for (String set : response.headers().allValues("Set-Cookie")) {
        setCookies.add(set);
        String[] parts = set.split(";");
        int eq = parts[0].indexOf('=');
        String name = parts[0].substring(0, eq).trim();
        String value = parts[0].substring(eq + 1).trim();
        String attributes = set.toLowerCase(Locale.ROOT);
        if (value.isEmpty()
            || attributes.contains("max-age=0")
            || attributes.contains("expires=thu, 01 jan 1970")) {
          jar.remove(name);
        } else {
          jar.put(name, value);
        }
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The CSRF token of the first form in {@code html} (on a signed-in page, the header's sign-out
   * form: every token issued to this sign-in is valid for every form).
   */
  public static String csrfToken(String html) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(html);
    if (!m.find()) {
      throw new AssertionError("no CSRF token in the page's form");
    }
    return m.group(1).replace("&#61;", "=");
  }

  /** A form of a page: where it posts and its hidden fields, unescaped. */
  public record Form(String action, Map<String, String> fields) {}

  /** The form {@code id} of {@code html}. */
  public static Form form(String html, String id) {
    Matcher form =
        java.util.regex.Pattern.compile(
                "<form id=\"" + id + "\" method=\"post\" action=\"([^\"]+)\">(.*?)</form>",
                java.util.regex.Pattern.DOTALL)
            .matcher(html);
    if (!form.find()) {
      throw new AssertionError("no form " + id + " in the page: " + html);
    }
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    Matcher input =
        java.util.regex.Pattern.compile(
                "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .matcher(form.group(2));
    while (input.find()) {
      fields.put(input.group(1), unescape(input.group(2)));
    }
    return new Form(unescape(form.group(1)), fields);
  }

  private static String unescape(String attribute) {
    return attribute
        .replace("&#61;", "=")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  public static boolean isRedirect(HttpResponse<?> response) {
    return response.statusCode() / 100 == 3;
  }

  public static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static void expectRedirect(HttpResponse<String> response) {
    if (!isRedirect(response)) {
      throw new IllegalStateException(
          "expected a redirect, got " + response.statusCode() + ": " + response.body());
    }
  }
}
