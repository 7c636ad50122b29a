package io.ponte.dicom.render;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Draws one frame of an uncompressed image instance (PS3.3 C.7.6.3): MONOCHROME1/2 of 8 or 16 bits
 * allocated (signed or not, any bits stored), with the modality rescale (slope, intercept) and a
 * linear VOI window (PS3.3 C.11.2.1.2) from the caller, else the data set's first window, else the
 * frame's minimum and maximum; RGB of 8 bits, pixel- or plane-interleaved. Pixel data are the
 * codec's: little-endian byte arrays. Compressed pixel data (fragments) are {@link
 * UnrenderableException.Reason#UNSUPPORTED_ENCODING}: a thumbnail draws a placeholder for them.
 */
public final class ImageRenderer {

  /**
   * A VOI window: centre and width in rescaled (modality) units, and the VOI LUT function (PS3.3
   * C.11.2.1.2): LINEAR needs a width of 1 or more, LINEAR_EXACT and SIGMOID any positive width.
   */
  public record Window(double center, double width, Function function) {

    /** PS3.3 C.11.2.1.3 VOI LUT Function. */
    public enum Function {
      LINEAR,
      LINEAR_EXACT,
      SIGMOID
    }

    public Window {
      double least = function == Function.LINEAR ? 1 : Double.MIN_VALUE;
      if (!(width >= least) || Double.isNaN(center) || Double.isInfinite(center)) {
        throw new IllegalArgumentException(
            "a window needs a finite centre and a width of "
                + (function == Function.LINEAR ? "1 or more" : "more than 0"));
      }
    }

    public Window(double center, double width) {
      this(center, width, Function.LINEAR);
    }
  }

  private ImageRenderer() {}

  /** The number of frames the instance holds (1 unless Number of Frames says more). */
  public static int frames(Attributes ds) {
    return Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
  }

  /**
   * Frame {@code frame} (from 1) as an 8-bit grey or RGB image at its own size.
   *
   * @param window the caller's window, or null for the data set's (or the frame's range)
   */
  public static BufferedImage render(Attributes ds, int frame, Window window)
      throws UnrenderableException {
    if (!ds.contains(Tag.PixelData)) {
      throw new UnrenderableException(
          UnrenderableException.Reason.NOT_AN_IMAGE, "the instance has no pixel data");
    }
    if (frame < 1 || frame > frames(ds)) {
      throw new UnrenderableException(
          UnrenderableException.Reason.NO_SUCH_FRAME,
          "frame " + frame + " is not in 1.." + frames(ds));
    }
    byte[] pixels = ds.getBytes(Tag.PixelData);
    if (pixels == null) {
      throw new UnrenderableException(
          UnrenderableException.Reason.UNSUPPORTED_ENCODING, "the pixel data are compressed");
    }
    int rows = ds.getInt(Tag.Rows, 0);
    int columns = ds.getInt(Tag.Columns, 0);
    int samples = ds.getInt(Tag.SamplesPerPixel, 1);
    int allocated = ds.getInt(Tag.BitsAllocated, 0);
    String photometric =
        ds.getString(Tag.PhotometricInterpretation, "").trim().toUpperCase(Locale.ROOT);
    if (rows <= 0 || columns <= 0) {
      throw new UnrenderableException(
          UnrenderableException.Reason.NOT_AN_IMAGE, "the instance has no rows or columns");
    }
    if (allocated != 8 && allocated != 16) {
      throw new UnrenderableException(
          UnrenderableException.Reason.UNSUPPORTED_ENCODING,
          allocated + " bits allocated per sample are not rendered");
    }
    long frameBytes = (long) rows * columns * samples * (allocated / 8);
    if (frameBytes == 0 || (long) frame * frameBytes > pixels.length) {
      throw new UnrenderableException(
          UnrenderableException.Reason.UNSUPPORTED_ENCODING,
          "the pixel data are shorter than " + frames(ds) + " frames of " + frameBytes + " bytes");
    }
    int offset = (int) ((frame - 1) * frameBytes);
    if (samples == 1
        && (allocated == 8 || allocated == 16)
        && photometric.startsWith("MONOCHROME")) {
      return monochrome(ds, pixels, offset, rows, columns, allocated, photometric, window);
    }
    if (samples == 3 && allocated == 8 && photometric.equals("RGB")) {
      return rgb(pixels, offset, rows, columns, ds.getInt(Tag.PlanarConfiguration, 0));
    }
    throw new UnrenderableException(
        UnrenderableException.Reason.UNSUPPORTED_ENCODING,
        "pixels of " + samples + " × " + allocated + " bits " + photometric + " are not rendered");
  }

  private static BufferedImage monochrome(
      Attributes ds,
      byte[] pixels,
      int offset,
      int rows,
      int columns,
      int allocated,
      String photometric,
      Window window) {
    int stored = Math.min(allocated, Math.max(1, ds.getInt(Tag.BitsStored, allocated)));
    boolean signed = ds.getInt(Tag.PixelRepresentation, 0) == 1;
    double slope = ds.getDouble(Tag.RescaleSlope, 1);
    double intercept = ds.getDouble(Tag.RescaleIntercept, 0);
    if (slope == 0 || Double.isNaN(slope)) {
      slope = 1;
    }
    int n = rows * columns;
    Pixels px = new Pixels(pixels, offset, allocated, stored, signed);
    Window w = window != null ? window : datasetWindow(ds);
    if (w == null) {
      // The frame's range: the rescale is linear, so its ends come from the raw ends.
      int[] range = px.range(n);
      double a = range[0] * slope + intercept;
      double b = range[1] * slope + intercept;
      double min = Math.min(a, b);
      double max = Math.max(a, b);
      w = new Window((min + max + 1) / 2, Math.max(1, max - min + 1));
    }
    boolean invert = photometric.equals("MONOCHROME1");
    BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
    byte[] out = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
    int codes = 1 << stored;
    if (codes <= n) {
      // A table of every stored code (at most 64 KB) costs fewer window evaluations than the
      // pixels, and no per-pixel array: a 512 × 512 CT once held 2 MB of doubles per thumbnail.
      byte[] table = new byte[codes];
      for (int code = 0; code < codes; code++) {
        table[code] = grey(px.value(code) * slope + intercept, w, invert);
      }
      for (int i = 0; i < n; i++) {
        out[i] = table[px.code(i)];
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = grey(px.value(px.code(i)) * slope + intercept, w, invert);
      }
    }
    return image;
  }

  private static byte grey(double x, Window w, boolean invert) {
    int grey = voi(x, w);
    return (byte) (invert ? 255 - grey : grey);
  }

  /**
   * A frame's stored values (PS3.5 8.1.1): little-endian samples of {@code allocated} bits whose
   * low {@code stored} bits hold the value, two's complement when {@code signed}.
   */
  private record Pixels(byte[] bytes, int offset, int allocated, int stored, boolean signed) {

    /** Pixel {@code i}'s stored bits, 0 .. 2^stored - 1. */
    int code(int i) {
      int raw =
          allocated == 8
              ? bytes[offset + i] & 0xff
              : (bytes[offset + 2 * i] & 0xff) | (bytes[offset + 2 * i + 1] & 0xff) << 8;
      return raw & ((1 << stored) - 1);
    }

    /** The value a code stands for: sign-extended from {@code stored} bits when signed. */
    int value(int code) {
      return signed && (code & (1 << (stored - 1))) != 0 ? code - (1 << stored) : code;
    }

    /** The least and greatest value among the first {@code n} pixels. */
    int[] range(int n) {
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        int v = value(code(i));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return new int[] {min, max};
    }
  }

  /**
   * PS3.3 C.11.2.1.2.1 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT), C.11.2.1.3.1 (SIGMOID) onto 0..255.
   */
  static int voi(double x, Window w) {
    switch (w.function()) {
      case SIGMOID:
        return (int) Math.round(255 / (1 + Math.exp(-4 * (x - w.center()) / w.width())));
      case LINEAR_EXACT:
        if (x <= w.center() - w.width() / 2) {
          return 0;
        }
        if (x > w.center() + w.width() / 2) {
          return 255;
        }
        return (int) Math.round(((x - w.center()) / w.width() + 0.5) * 255);
      default:
        double c = w.center() - 0.5;
        double width = w.width() - 1;
        if (x <= c - width / 2) {
          return 0;
        }
        if (x > c + width / 2) {
          return 255;
        }
        return (int) Math.round(((x - c) / width + 0.5) * 255);
    }
  }

  private static Window datasetWindow(Attributes ds) {
    double center = ds.getDouble(Tag.WindowCenter, Double.NaN);
    double width = ds.getDouble(Tag.WindowWidth, Double.NaN);
    Window.Function function =
        switch (ds.getString(Tag.VOILUTFunction, "LINEAR").trim().toUpperCase(Locale.ROOT)) {
          case "SIGMOID" -> Window.Function.SIGMOID;
          case "LINEAR_EXACT" -> Window.Function.LINEAR_EXACT;
          default -> Window.Function.LINEAR;
        };
    double least = function == Window.Function.LINEAR ? 1 : Double.MIN_VALUE;
    return Double.isNaN(center) || !(width >= least) ? null : new Window(center, width, function);
  }

  private static BufferedImage rgb(byte[] p, int offset, int rows, int columns, int planar) {
    BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
    int n = rows * columns;
    for (int i = 0; i < n; i++) {
      int r;
      int g;
      int b;
      if (planar == 1) {
        r = p[offset + i] & 0xff;
        g = p[offset + n + i] & 0xff;
        b = p[offset + 2 * n + i] & 0xff;
      } else {
        r = p[offset + 3 * i] & 0xff;
        g = p[offset + 3 * i + 1] & 0xff;
        b = p[offset + 3 * i + 2] & 0xff;
      }
      image.setRGB(i % columns, i / columns, r << 16 | g << 8 | b);
    }
    return image;
  }

  /**
   * {@code image} scaled to fit {@code width} × {@code height} (aspect kept, never enlarged), as a
   * thumbnail asks.
   */
  public static BufferedImage fit(BufferedImage image, int width, int height) {
    return fit(image, width, height, false);
  }

  /**
   * {@code image} scaled to fit {@code width} × {@code height}, aspect kept; enlarged too when
   * {@code enlarge} (a viewport larger than the image, PS3.18 8.3.5.1.3).
   */
  public static BufferedImage fit(BufferedImage image, int width, int height, boolean enlarge) {
    double scale = Math.min((double) width / image.getWidth(), (double) height / image.getHeight());
    if (scale == 1 || (scale > 1 && !enlarge)) {
      return image;
    }
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage out = new BufferedImage(w, h, image.getType());
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * The part of {@code image} from ({@code x}, {@code y}), {@code width} × {@code height}, clipped
   * to the image; the whole image when the region lies outside it.
   */
  public static BufferedImage crop(BufferedImage image, int x, int y, int width, int height) {
    int x0 = Math.min(Math.max(0, x), image.getWidth() - 1);
    int y0 = Math.min(Math.max(0, y), image.getHeight() - 1);
    int w = Math.max(1, Math.min(width, image.getWidth() - x0));
    int h = Math.max(1, Math.min(height, image.getHeight() - y0));
    return image.getSubimage(x0, y0, w, h);
  }

  /** A neutral grey square for what is not drawn (compressed pixel data), {@code size} wide. */
  public static BufferedImage placeholder(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(new Color(0x55, 0x55, 0x55));
      g.fillRect(0, 0, size, size);
      g.setColor(new Color(0x99, 0x99, 0x99));
      g.drawRect(size / 4, size / 4, size / 2, size / 2);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Writes {@code image} as {@code image/jpeg} or {@code image/png}. */
  public static void write(BufferedImage image, String mediaType, OutputStream out)
      throws IOException {
    write(image, mediaType, null, out);
  }

  /**
   * Writes {@code image} as {@code image/jpeg} (at {@code quality} 1..100 when given, else the
   * JDK's default) or {@code image/png} (lossless: quality does not apply).
   */
  public static void write(BufferedImage image, String mediaType, Integer quality, OutputStream out)
      throws IOException {
    String format =
        switch (mediaType) {
          case "image/jpeg" -> "jpeg";
          case "image/png" -> "png";
          default -> throw new IllegalArgumentException("not an image type: " + mediaType);
        };
    if (quality == null || format.equals("png")) {
      if (!ImageIO.write(image, format, out)) {
        throw new IOException("no " + format + " writer for this image");
      }
      return;
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
