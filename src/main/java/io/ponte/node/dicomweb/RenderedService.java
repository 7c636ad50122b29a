package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.dicom.render.ImageRenderer;
import io.ponte.dicom.render.UnrenderableException;
import io.ponte.dicomweb.RenderingParameters;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.WadoIndexReader;
import io.ponte.node.index.WadoInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rendered images and thumbnails (PS3.18 10.4.1.1.3, 10.7) drawn where the pixels are: the node
 * reads the instance's header and the one frame it draws (a range read, never the whole instance),
 * and only the small picture travels to the hub. Uncompressed images are drawn; compressed ones are
 * 406 when rendered and a neutral placeholder as a thumbnail (a timeline never shows a broken
 * image), with a Warning header saying so. An archived study's thumbnail is the placeholder too:
 * only a retrieve or a rendered frame starts a restore.
 */
@ApplicationScoped
public class RenderedService {

  /** A thumbnail's size when the request names no viewport. */
  public static final RenderingParameters.Viewport THUMBNAIL =
      new RenderingParameters.Viewport(128, 128, null);

  /** A frame larger than this is not drawn (a 4096 × 4096 RGB 16-bit frame is 96 MiB). */
  static final long MAX_FRAME_BYTES = 128L * 1024 * 1024;

  @Inject WadoIndexReader index;

  @Inject InstanceBytes bytes;

  @Inject WadoService wado;

  /** Frame {@code frame} (from 1; the first when null) of one instance, as asked. */
  public Response rendered(
      String study, String series, String sop, Integer frame, RenderingParameters p) {
    WadoInstance instance = one(study, series, sop);
    if (instance.rows() == null) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "instance " + sop + " is not an image: it has no rendered form");
    }
    try {
      return image(draw(instance, frame == null ? 1 : frame, p, true), p);
    } catch (UnrenderableException e) {
      throw new ProblemException(ErrorCode.NOT_ACCEPTABLE, e.getMessage());
    }
  }

  /**
   * A small picture of what the path addresses: the frame or instance named, else the middle
   * instance of the first series with images (series and sop may be null).
   */
  public Response thumbnail(
      String study, String series, String sop, Integer frame, RenderingParameters p) {
    WadoInstance instance = sop != null ? one(study, series, sop) : representative(study, series);
    if (instance.rows() == null) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE, "instance " + sop + " is not an image: it has no thumbnail");
    }
    if (instance.archivedOnly()) {
      // A thumbnail is asked for every study a list shows (a timeline, a viewer's study browser):
      // it must never start a restore from the archive tier; opening the study does that.
      return placeholder(p, "archived; a thumbnail starts no restore");
    }
    int number = frame != null ? frame : (frames(instance) + 1) / 2;
    try {
      return image(draw(instance, number, p, false), p);
    } catch (UnrenderableException e) {
      return placeholder(p, e.getMessage());
    }
  }

  /** The neutral picture of a thumbnail that cannot be drawn, with a Warning saying why. */
  private static Response placeholder(RenderingParameters p, String why) {
    BufferedImage placeholder =
        ImageRenderer.placeholder(Math.min(p.viewport().width(), p.viewport().height()));
    return Response.fromResponse(image(placeholder, p))
        .header("Warning", "299 ponte \"placeholder: " + why.replace('"', '\'') + "\"")
        .build();
  }

  private BufferedImage draw(
      WadoInstance instance, int frame, RenderingParameters p, boolean enlarge)
      throws UnrenderableException {
    InstanceLocation location = instance.location();
    String ts = instance.transferSyntaxUid();
    if (!FrameLayout.isUncompressedInPlace(ts)) {
      throw new UnrenderableException(
          UnrenderableException.Reason.UNSUPPORTED_ENCODING,
          "pixel data stored in transfer syntax "
              + UID.nameOf(ts)
              + (UID.isNative(ts)
                  ? " (deflated: frames are not at fixed offsets)"
                  : " (compressed: this node has no decoder)")
              + " are not rendered yet");
    }
    // an archived instance (a rendered frame; never a thumbnail): 202 while it is restored, as for
    // every retrieve
    wado.requireOnline(instance.studyUid(), List.of(instance));
    FrameLayout layout = FrameLayout.of(bytes, location);
    long offset = layout.offsetOf(frame);
    if (layout.frameSize() > MAX_FRAME_BYTES) {
      throw new ProblemException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "a frame of " + layout.frameSize() + " bytes is too large to render");
    }
    bytes.recordAccess(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid());
    byte[] pixels;
    try (InputStream in = bytes.openRange(location, offset, layout.frameSize())) {
      pixels = in.readNBytes((int) layout.frameSize());
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the instance could not be read", Map.of(), e);
    }
    int bitsAllocated = layout.header().getInt(Tag.BitsAllocated, 8);
    if (layout.bigEndian() && bitsAllocated > 8) {
      if (bitsAllocated != 16) {
        throw new UnrenderableException(
            UnrenderableException.Reason.UNSUPPORTED_ENCODING,
            "big endian pixel data with BitsAllocated " + bitsAllocated + " are not rendered yet");
      }
      // OW in Explicit VR Big Endian: each 16-bit sample's bytes swapped (PS3.5 7.3).
      ByteUtil.swap(pixels, 0, pixels.length - pixels.length % 2, 2);
    }
    // The one frame, as a single-frame data set: the renderer never sees the other frames.
    Attributes single = new Attributes(layout.header());
    single.setInt(Tag.NumberOfFrames, VR.IS, 1);
    single.setBytes(
        Tag.PixelData, layout.header().getInt(Tag.BitsAllocated, 8) > 8 ? VR.OW : VR.OB, pixels);
    BufferedImage image = ImageRenderer.render(single, 1, p.window());
    RenderingParameters.Viewport v = p.viewport();
    if (v == null) {
      return image;
    }
    if (v.region() != null) {
      int[] r = v.region();
      image = ImageRenderer.crop(image, r[0], r[1], r[2], r[3]);
    }
    return ImageRenderer.fit(image, v.width(), v.height(), enlarge);
  }

  private static Response image(BufferedImage image, RenderingParameters p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      ImageRenderer.write(image, p.mediaType(), p.quality(), out);
    } catch (IOException e) {
      throw new ProblemException(ErrorCode.INTERNAL, "the image could not be encoded", Map.of(), e);
    }
    return Response.ok(out.toByteArray(), p.mediaType()).build();
  }

  private static int frames(WadoInstance instance) {
    return instance.numberOfFrames() == null ? 1 : Math.max(1, instance.numberOfFrames());
  }

  private WadoInstance one(String study, String series, String sop) {
    return instances(study, series, sop).get(0);
  }

  /** The middle instance of the first series (in the index's order) that holds images. */
  private WadoInstance representative(String study, String series) {
    List<WadoInstance> all = instances(study, series, null);
    List<WadoInstance> firstImageSeries = new ArrayList<>();
    for (WadoInstance i : all) {
      if (i.rows() == null) {
        continue;
      }
      if (!firstImageSeries.isEmpty()
          && !firstImageSeries.get(0).seriesUid().equals(i.seriesUid())) {
        break;
      }
      firstImageSeries.add(i);
    }
    if (firstImageSeries.isEmpty()) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          (series != null ? "series " + series : "study " + study)
              + " holds no image to draw a thumbnail from");
    }
    return firstImageSeries.get((firstImageSeries.size() - 1) / 2);
  }

  private List<WadoInstance> instances(String study, String series, String sop) {
    List<WadoInstance> found;
    try {
      found = index.instances(study, series, sop);
    } catch (SQLException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the node's index is unavailable", Map.of(), e);
    }
    if (found.isEmpty()) {
      String what =
          sop != null ? "instance " + sop : series != null ? "series " + series : "study " + study;
      throw new ProblemException(ErrorCode.NOT_FOUND, "this node holds no " + what);
    }
    return found;
  }
}
