package io.ponte.dicom.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import io.ponte.testing.DicomSamples;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known pixels in, expected grey levels out: rescale, window (given, from the data set, or the
 * frame's range), sign, stored bits, MONOCHROME1 and RGB layouts; then the demo samples render (or
 * are refused for a clear reason) and survive JPEG and PNG encoding.
 */
class ImageRendererTest {

  /** A 16-bit image of {@code values} (little-endian), one row. */
  static Attributes mono16(boolean signed, int... values) {
    Attributes ds = new Attributes();
    ds.setInt(Tag.Rows, VR.US, 1);
    ds.setInt(Tag.Columns, VR.US, values.length);
    ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    ds.setInt(Tag.BitsStored, VR.US, 16);
    ds.setInt(Tag.PixelRepresentation, VR.US, signed ? 1 : 0);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    byte[] pixels = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      pixels[2 * i] = (byte) values[i];
      pixels[2 * i + 1] = (byte) (values[i] >> 8);
    }
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    return ds;
  }

  static int[] greys(BufferedImage image) {
    int[] out = new int[image.getWidth() * image.getHeight()];
    image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), out);
    return out;
  }

  @Test
  void rescaleThenTheDataSetsWindow() throws Exception {
    // CT: stored 0..2000 with intercept -1024 is -1024..976 HU; window 40/400 (soft tissue)
    Attributes ds = mono16(false, 0, 1024 - 160, 1024 + 40, 1024 + 239, 2000);
    ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
    ds.setString(Tag.RescaleSlope, VR.DS, "1");
    ds.setString(Tag.WindowCenter, VR.DS, "40");
    ds.setString(Tag.WindowWidth, VR.DS, "400");
    int[] g = greys(ImageRenderer.render(ds, 1, null));
    assertThat(g).containsExactly(0, 0, 128, 255, 255);
  }

  @Test
  void theCallersWindowWinsAndWithoutAnyTheFramesRangeIsUsed() throws Exception {
    Attributes ds = mono16(false, 100, 150, 200);
    ds.setString(Tag.WindowCenter, VR.DS, "0");
    ds.setString(Tag.WindowWidth, VR.DS, "10");
    // PS3.3 C.11.2.1.2.1 centres the window half a unit low: 100 is just inside it
    assertThat(greys(ImageRenderer.render(ds, 1, new ImageRenderer.Window(150, 101))))
        .containsExactly(1, 129, 255);
    ds.remove(Tag.WindowCenter);
    ds.remove(Tag.WindowWidth);
    assertThat(greys(ImageRenderer.render(ds, 1, null))).containsExactly(0, 128, 255);
  }

  @Test
  void theVoiLutFunctionsOfPs33() {
    // C.11.2.1.3.1 SIGMOID: 255 / (1 + exp(-4 (x - c) / w)): the centre is mid-grey
    ImageRenderer.Window sigmoid =
        new ImageRenderer.Window(100, 50, ImageRenderer.Window.Function.SIGMOID);
    assertThat(ImageRenderer.voi(100, sigmoid)).isEqualTo(128);
    assertThat(ImageRenderer.voi(125, sigmoid))
        .isEqualTo((int) Math.round(255 / (1 + Math.exp(-2))));
    // C.11.2.1.3.2 LINEAR_EXACT: no half-pixel shift, any positive width
    ImageRenderer.Window exact =
        new ImageRenderer.Window(100, 0.5, ImageRenderer.Window.Function.LINEAR_EXACT);
    assertThat(ImageRenderer.voi(99.75, exact)).isZero();
    assertThat(ImageRenderer.voi(100, exact)).isEqualTo(128);
    assertThat(ImageRenderer.voi(100.25, exact)).isEqualTo(255);
    assertThatThrownBy(() -> new ImageRenderer.Window(100, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDataSetsVoiLutFunctionIsFollowed() throws Exception {
    Attributes ds = mono16(false, 0, 1000, 2000);
    ds.setString(Tag.WindowCenter, VR.DS, "1000");
    ds.setString(Tag.WindowWidth, VR.DS, "1000");
    ds.setString(Tag.VOILUTFunction, VR.CS, "SIGMOID");
    BufferedImage image = ImageRenderer.render(ds, 1, null);
    // linear would clip 0 to black and 2000 to white; the sigmoid does not quite reach them
    assertThat(image.getRaster().getSample(0, 0, 0)).isEqualTo(5);
    assertThat(image.getRaster().getSample(1, 0, 0)).isEqualTo(128);
    assertThat(image.getRaster().getSample(2, 0, 0)).isEqualTo(250);
  }

  @Test
  void signedPixelsWithFewerStoredBitsAreSignExtended() throws Exception {
    // 12 bits stored: 0x0FFF is -1, 0x0800 is -2048, 0x07FF is 2047
    Attributes ds = mono16(true, 0x0800, 0x0FFF, 0x07FF, 0xF000 /* high bits ignored: 0 */);
    ds.setInt(Tag.BitsStored, VR.US, 12);
    assertThat(greys(ImageRenderer.render(ds, 1, new ImageRenderer.Window(0, 4096))))
        .containsExactly(0, 127, 255, 128);
  }

  /**
   * Frames with more pixels than stored codes go through a table of the codes: each pixel must
   * still get what the window gives its own rescaled value (sign, stored bits and high bits,
   * negative slope, the frame's range, MONOCHROME1, a sigmoid).
   */
  @Test
  void framesDrawnThroughTheCodeTableMatchTheWindowPixelByPixel() throws Exception {
    Random random = new Random(7);
    // 12 bits stored, signed, with garbage in the high bits; slope -0.5; no window anywhere
    int[] values = random.ints(128 * 64, 0, 1 << 16).toArray();
    Attributes ct = mono16(true, values);
    ct.setInt(Tag.Rows, VR.US, 64);
    ct.setInt(Tag.Columns, VR.US, 128);
    ct.setInt(Tag.BitsStored, VR.US, 12);
    ct.setString(Tag.RescaleSlope, VR.DS, "-0.5");
    ct.setString(Tag.RescaleIntercept, VR.DS, "100");
    ct.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME1");
    double[] rescaled = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      int code = values[i] & 0x0FFF;
      rescaled[i] = (code >= 0x0800 ? code - 0x1000 : code) * -0.5 + 100;
    }
    double min = Arrays.stream(rescaled).min().getAsDouble();
    double max = Arrays.stream(rescaled).max().getAsDouble();
    ImageRenderer.Window range = new ImageRenderer.Window((min + max + 1) / 2, max - min + 1);
    int[] got = greys(ImageRenderer.render(ct, 1, null));
    for (int i = 0; i < values.length; i++) {
      assertThat(got[i]).as("pixel %d", i).isEqualTo(255 - ImageRenderer.voi(rescaled[i], range));
    }
    // 16 bits stored, unsigned, 512 × 512, the data set's sigmoid
    int[] wide = random.ints(512 * 512, 0, 1 << 16).toArray();
    Attributes mr = mono16(false, wide);
    mr.setInt(Tag.Rows, VR.US, 512);
    mr.setInt(Tag.Columns, VR.US, 512);
    mr.setString(Tag.WindowCenter, VR.DS, "30000");
    mr.setString(Tag.WindowWidth, VR.DS, "20000");
    mr.setString(Tag.VOILUTFunction, VR.CS, "SIGMOID");
    ImageRenderer.Window sigmoid =
        new ImageRenderer.Window(30000, 20000, ImageRenderer.Window.Function.SIGMOID);
    int[] drawn = greys(ImageRenderer.render(mr, 1, null));
    for (int i = 0; i < wide.length; i++) {
      assertThat(drawn[i]).as("pixel %d", i).isEqualTo(ImageRenderer.voi(wide[i], sigmoid));
    }
  }

  @Test
  void monochrome1IsInverted() throws Exception {
    Attributes ds = mono16(false, 0, 255);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME1");
    assertThat(greys(ImageRenderer.render(ds, 1, null))).containsExactly(255, 0);
  }

  @Test
  void rgbInBothPlanarConfigurationsAndTheSecondFrame() throws Exception {
    Attributes ds = new Attributes();
    ds.setInt(Tag.Rows, VR.US, 1);
    ds.setInt(Tag.Columns, VR.US, 2);
    ds.setInt(Tag.SamplesPerPixel, VR.US, 3);
    ds.setInt(Tag.BitsAllocated, VR.US, 8);
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "RGB");
    ds.setString(Tag.NumberOfFrames, VR.IS, "2");
    // frame 1: red, green; frame 2: blue, white (pixel-interleaved)
    ds.setBytes(
        Tag.PixelData,
        VR.OB,
        new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, -1, -1, -1});
    BufferedImage second = ImageRenderer.render(ds, 2, null);
    assertThat(second.getRGB(0, 0) & 0xffffff).isEqualTo(0x0000ff);
    assertThat(second.getRGB(1, 0) & 0xffffff).isEqualTo(0xffffff);
    ds.setInt(Tag.PlanarConfiguration, VR.US, 1);
    // planes: R R, G G, B B of frame 1
    ds.setBytes(
        Tag.PixelData, VR.OB, new byte[] {(byte) 255, 0, 0, (byte) 255, 0, 0, 0, 0, 0, 0, 0, 0});
    BufferedImage first = ImageRenderer.render(ds, 1, null);
    assertThat(first.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
    assertThat(first.getRGB(1, 0) & 0xffffff).isEqualTo(0x00ff00);
  }

  @Test
  void whatCannotBeDrawnSaysWhy() {
    Attributes report = new Attributes();
    report.setString(Tag.Modality, VR.CS, "SR");
    assertThatThrownBy(() -> ImageRenderer.render(report, 1, null))
        .isInstanceOf(UnrenderableException.class)
        .extracting(e -> ((UnrenderableException) e).reason())
        .isEqualTo(UnrenderableException.Reason.NOT_AN_IMAGE);
    Attributes one = mono16(false, 1, 2);
    assertThatThrownBy(() -> ImageRenderer.render(one, 2, null))
        .extracting(e -> ((UnrenderableException) e).reason())
        .isEqualTo(UnrenderableException.Reason.NO_SUCH_FRAME);
    assertThatThrownBy(() -> ImageRenderer.render(one, 0, null))
        .extracting(e -> ((UnrenderableException) e).reason())
        .isEqualTo(UnrenderableException.Reason.NO_SUCH_FRAME);
    Attributes jpeg = mono16(false, 1, 2);
    jpeg.setFragments(Tag.PixelData, new Fragments(VR.OB, new byte[0], List.of(new byte[] {1})));
    assertThatThrownBy(() -> ImageRenderer.render(jpeg, 1, null))
        .extracting(e -> ((UnrenderableException) e).reason())
        .isEqualTo(UnrenderableException.Reason.UNSUPPORTED_ENCODING);
  }

  @Test
  void fitKeepsTheAspectAndNeverEnlarges() throws Exception {
    BufferedImage wide = new BufferedImage(400, 100, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage fitted = ImageRenderer.fit(wide, 128, 128);
    assertThat(fitted.getWidth()).isEqualTo(128);
    assertThat(fitted.getHeight()).isEqualTo(32);
    assertThat(ImageRenderer.fit(fitted, 500, 500)).isSameAs(fitted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CT_small.dcm",
        "MR_small.dcm",
        "MR_small_implicit.dcm",
        "MR_small_bigendian.dcm",
        "SC_rgb_small_odd.dcm",
        "image_dfl.dcm"
      })
  void theSamplesRenderAndEncode(String name) throws Exception {
    DicomSamples.require();
    Attributes ds;
    try (InputStream in = Files.newInputStream(DicomSamples.file(name));
        DicomInputStream dis = new DicomInputStream(in)) {
      dis.readFileMetaInformation();
      ds = dis.readDataset();
    }
    BufferedImage image = ImageRenderer.render(ds, 1, null);
    assertThat(image.getWidth()).isEqualTo(ds.getInt(Tag.Columns, 0));
    assertThat(image.getHeight()).isEqualTo(ds.getInt(Tag.Rows, 0));
    // not a blank image: the window spreads the frame over several grey levels
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      assertThat(Arrays.stream(greys(image)).distinct().count()).isGreaterThan(10);
    }
    for (String type : List.of("image/jpeg", "image/png")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageRenderer.write(ImageRenderer.fit(image, 64, 64), type, out);
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
      assertThat(back).as(type).isNotNull();
      assertThat(Math.max(back.getWidth(), back.getHeight()))
          .isEqualTo(Math.min(64, Math.max(image.getWidth(), image.getHeight())));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"JPGExtended.dcm", "JPEG2000.dcm", "MR_small_RLE.dcm", "liver_1frame.dcm"})
  void compressedSamplesAreRefusedAsUnsupported(String name) throws Exception {
    DicomSamples.require();
    Attributes ds;
    try (InputStream in = Files.newInputStream(DicomSamples.file(name));
        DicomInputStream dis = new DicomInputStream(in)) {
      dis.readFileMetaInformation();
      ds = dis.readDataset();
    }
    assertThatThrownBy(() -> ImageRenderer.render(ds, 1, null))
        .extracting(e -> ((UnrenderableException) e).reason())
        .isEqualTo(UnrenderableException.Reason.UNSUPPORTED_ENCODING);
  }
}
