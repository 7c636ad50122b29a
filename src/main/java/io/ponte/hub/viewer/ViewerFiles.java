package io.ponte.hub.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The installed OHIF build: which file a {@code /viewer/...} path names (never one outside the
 * directory), its content type and cache lifetime, and the hashes of index.html's inline scripts
 * for the viewer's Content-Security-Policy (so no other inline script runs).
 */
final class ViewerFiles {

  /** Webpack's content-hashed names: safe to cache for a year, a new build has new names. */
  private static final Pattern HASHED =
      Pattern.compile("(^|.*[.-])[0-9a-f]{16,}\\.(js|css|wasm|woff2?|map)$");

  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("ttf", "font/ttf"),
          Map.entry("xml", "application/xml"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("map", "application/json"),
          Map.entry("onnx", "application/octet-stream"));

  /** Why the viewer cannot be served, or null when it can. */
  final String problem;

  final Path dir;
  final List<String> inlineScriptHashes;

  private ViewerFiles(Path dir, String problem, List<String> hashes) {
    this.dir = dir;
    this.problem = problem;
    this.inlineScriptHashes = hashes;
  }

  static ViewerFiles of(Optional<Path> configured) {
    if (configured.isEmpty()) {
      return new ViewerFiles(null, "ponte.hub.viewer.dir is not set", List.of());
    }
    Path dir = configured.get().toAbsolutePath().normalize();
    Path index = dir.resolve("index.html");
    if (!Files.isRegularFile(index)) {
      return new ViewerFiles(null, dir + " holds no OHIF build (no index.html)", List.of());
    }
    String html;
    try {
      html = Files.readString(index, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new ViewerFiles(null, index + " cannot be read", List.of());
    }
    if (!html.contains("window.PUBLIC_URL=\"" + ViewerAppConfig.BASE + "/\"")) {
      return new ViewerFiles(
          null,
          dir + " is an OHIF build for /, not rebased to /viewer/ by install_ohif",
          List.of());
    }
    List<String> hashes = new ArrayList<>();
    Matcher m = INLINE_SCRIPT.matcher(html);
    while (m.find()) {
      hashes.add("'sha256-" + sha256(m.group(1)) + "'");
    }
    return new ViewerFiles(dir, null, List.copyOf(hashes));
  }

  boolean installed() {
    return problem == null;
  }

  /** The file under the build for a path below /viewer/, or empty. */
  Optional<Path> file(String relative) {
    if (relative.isEmpty() || relative.contains("..") || relative.contains("\\")) {
      return Optional.empty();
    }
    Path p = dir.resolve(relative).normalize();
    return p.startsWith(dir) && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  Path index() {
    return dir.resolve("index.html");
  }

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /**
   * A strong validator for a file not cached for a year (size and modification time: a reinstall
   * rewrites the files), none for the content-hashed ones, whose name changes with them.
   */
  static Optional<String> entityTag(Path file) {
    if (HASHED.matcher(file.getFileName().toString()).matches()) {
      return Optional.empty();
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return Optional.of(
          "\""
              + Long.toHexString(attributes.size())
              + "-"
              + Long.toHexString(attributes.lastModifiedTime().toMillis())
              + "\"");
    } catch (IOException e) {
      return Optional.empty(); // sent without one
    }
  }

  /** The validator of content the hub writes itself (app-config.js): a digest of it. */
  static String entityTag(String content) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String cacheControl(String name) {
    return HASHED.matcher(name).matches() ? "public, max-age=31536000, immutable" : "no-cache";
  }

  /** A client route (no file extension in the last segment): answered with index.html. */
  static boolean isClientRoute(String relative) {
    String last = relative.substring(relative.lastIndexOf('/') + 1);
    return !last.contains(".");
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
