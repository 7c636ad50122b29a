package io.ponte.dicomweb;

import io.ponte.dicom.render.ImageRenderer;
import io.ponte.error.ErrorCode;
import io.ponte.error.ErrorDetails;
import io.ponte.error.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a rendered or thumbnail request (PS3.18 8.3.5.1, 10.4.1.1.3, 10.7) asks for: the media type
 * (image/jpeg unless the Accept header prefers image/png), {@code window} (centre, width,
 * function), {@code viewport} (vw, vh and an optional source region) and {@code quality}. Parsed
 * once, checked strictly (a malformed value is 400, an unsupported type 406), and written back as a
 * canonical query so the hub forwards only what it validated. {@code annotation} and {@code
 * iccprofile} are accepted and ignored: no text is burnt into images, and no ICC profile is
 * embedded.
 */
public record RenderingParameters(
    String mediaType, ImageRenderer.Window window, Viewport viewport, Integer quality) {

  public static final String JPEG = "image/jpeg";
  public static final String PNG = "image/png";

  /** Largest viewport side served: a rendered image is a picture, never a second copy. */
  public static final int MAX_SIDE = 4096;

  /**
   * {@code vw × vh} the image is fitted into; {@code region} the source rectangle (sx, sy, sw, sh)
   * to crop first, or null for the whole image.
   */
  public record Viewport(int width, int height, int[] region) {}

  /**
   * @param accept the request's acceptable media types, most preferred first (empty: any)
   * @param query the request's query parameters
   * @param defaultViewport the viewport when none is asked for (a thumbnail's size), or null
   */
  public static RenderingParameters of(
      List<MediaType> accept, Map<String, List<String>> query, Viewport defaultViewport) {
    Viewport viewport = viewport(single(query, "viewport"));
    return new RenderingParameters(
        mediaType(accept),
        window(single(query, "window")),
        viewport != null ? viewport : defaultViewport,
        quality(single(query, "quality")));
  }

  /** The parameters as a query string ("" or "?window=..."), for forwarding to a node. */
  public String query() {
    List<String> parts = new ArrayList<>();
    if (window != null) {
      parts.add(
          "window="
              + number(window.center())
              + ","
              + number(window.width())
              + ","
              + window.function().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (viewport != null) {
      StringBuilder v = new StringBuilder("viewport=" + viewport.width() + "," + viewport.height());
      if (viewport.region() != null) {
        for (int n : viewport.region()) {
          v.append(',').append(n);
        }
      }
      parts.add(v.toString());
    }
    if (quality != null) {
      parts.add("quality=" + quality);
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  /**
   * The one frame number (from 1) of a rendered or thumbnail frame path; 400 for a list or anything
   * else: a frame list has no single-image form.
   */
  public static int frameNumber(String path) {
    if (!path.matches("[0-9]{1,9}")) {
      throw bad(
          "a rendered frame is one frame number from 1 (a list has no single-image form): "
              + ErrorDetails.quote(path));
    }
    int n = Integer.parseInt(path);
    if (n < 1) {
      throw bad("frame numbers start at 1");
    }
    return n;
  }

  static String mediaType(List<MediaType> accept) {
    if (accept == null || accept.isEmpty()) {
      return JPEG;
    }
    for (MediaType m : accept) {
      if (m.isWildcardType() || (m.getType().equals("image") && m.isWildcardSubtype())) {
        return JPEG;
      }
      if (m.getType().equals("image") && m.getSubtype().equals("jpeg")) {
        return JPEG;
      }
      if (m.getType().equals("image") && m.getSubtype().equals("png")) {
        return PNG;
      }
    }
    throw new ProblemException(
        ErrorCode.NOT_ACCEPTABLE, "rendered images are served as image/jpeg or image/png");
  }

  static ImageRenderer.Window window(String value) {
    if (value == null) {
      return null;
    }
    String[] p = value.split(",", -1);
    if (p.length < 2 || p.length > 3) {
      throw bad("window must be center,width[,function]: " + ErrorDetails.quote(value));
    }
    double center = decimal("window center", p[0]);
    double width = decimal("window width", p[1]);
    ImageRenderer.Window.Function function = ImageRenderer.Window.Function.LINEAR;
    if (p.length == 3) {
      function =
          switch (p[2].trim().toLowerCase(Locale.ROOT)) {
            case "linear" -> ImageRenderer.Window.Function.LINEAR;
            case "linear-exact" -> ImageRenderer.Window.Function.LINEAR_EXACT;
            case "sigmoid" -> ImageRenderer.Window.Function.SIGMOID;
            default ->
                throw bad(
                    "window function must be linear, linear-exact or sigmoid: "
                        + ErrorDetails.quote(p[2]));
          };
    }
    double least = function == ImageRenderer.Window.Function.LINEAR ? 1 : Double.MIN_VALUE;
    if (!(width >= least)) {
      throw bad(
          "window width must be "
              + (function == ImageRenderer.Window.Function.LINEAR ? "at least 1" : "positive"));
    }
    return new ImageRenderer.Window(center, width, function);
  }

  static Viewport viewport(String value) {
    if (value == null) {
      return null;
    }
    String[] p = value.split(",", -1);
    if (p.length != 2 && p.length != 6) {
      throw bad("viewport must be vw,vh or vw,vh,sx,sy,sw,sh: " + ErrorDetails.quote(value));
    }
    int width = integer("viewport width", p[0], 1, MAX_SIDE);
    int height = integer("viewport height", p[1], 1, MAX_SIDE);
    if (p.length == 2) {
      return new Viewport(width, height, null);
    }
    int[] region = new int[4];
    for (int i = 0; i < 4; i++) {
      // A negative sw or sh asks for a flipped image, which is not offered.
      region[i] = integer("viewport source region", p[2 + i], i < 2 ? 0 : 1, Integer.MAX_VALUE);
    }
    return new Viewport(width, height, region);
  }

  static Integer quality(String value) {
    return value == null ? null : integer("quality", value, 1, 100);
  }

  private static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw bad(name + " is given more than once");
    }
    return values.get(0);
  }

  private static double decimal(String what, String text) {
    try {
      double d = Double.parseDouble(text.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw bad(what + " must be a number: " + ErrorDetails.quote(text));
    }
  }

  private static int integer(String what, String text, int min, int max) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n < min || n > max) {
        throw bad(what + " must be from " + min + " to " + max + ": " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad(what + " must be a whole number: " + ErrorDetails.quote(text));
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
