package io.ponte.node.dicomweb;

import io.ponte.dicom.DicomParseException;
import io.ponte.dicom.ExplicitLittleEndianRecoder;
import io.ponte.dicom.UID;
import io.ponte.dicomweb.BulkDataPaths;
import io.ponte.error.ErrorCode;
import io.ponte.error.Problem;
import io.ponte.error.ProblemException;
import io.ponte.node.audit.DicomwebRequestAudit;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.WadoIndexReader;
import io.ponte.node.index.WadoInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * WADO-RS retrieval on the node: instances as multipart/related application/dicom, streamed one
 * after the other from cache or Blob with a fixed-size copy buffer, frames read by byte range
 * (native, or the fragments of encapsulated ones), bulk data, and the stored metadata. The index is
 * asked once per request: each instance found carries its storage location.
 */
@ApplicationScoped
public class WadoService {

  private static final int COPY_BUFFER = 64 * 1024;
  private static final Logger LOG = Logger.getLogger(WadoService.class);

  @Inject WadoIndexReader index;

  @Inject InstanceBytes bytes;

  @Inject FrameTables frameTables;

  @Inject NodeDicomwebConfig config;

  @Inject CurrentVertxRequest request;

  public Response retrieve(String study, String series, String sop, List<MediaType> accept) {
    List<WadoInstance> instances = instances(study, series, sop);
    UnaryOperator<String> served =
        WadoAccept.instanceSyntaxes(
            accept, instances.stream().map(WadoInstance::transferSyntaxUid).toList());
    bytes.recordAccess(study, series, sop);
    requireOnline(study, instances);
    audited(instances.size());
    MultipartRelated multipart = new MultipartRelated(WadoAccept.DICOM);
    String[] types = new String[instances.size()];
    long[] lengths = new long[instances.size()];
    boolean[] recoded = new boolean[instances.size()];
    for (int i = 0; i < types.length; i++) {
      String stored = instances.get(i).transferSyntaxUid();
      String ts = served.apply(stored);
      recoded[i] = !ts.equals(stored);
      types[i] = WadoAccept.DICOM + "; transfer-syntax=" + ts;
      lengths[i] = recoded[i] ? -1 : instances.get(i).size();
    }
    StreamingOutput body =
        out -> {
          byte[] buffer = new byte[COPY_BUFFER];
          for (int i = 0; i < types.length; i++) {
            WadoInstance ref = instances.get(i);
            multipart.startPart(out, types[i], lengths[i]);
            try (InputStream in = openForBody(ref.location())) {
              if (recoded[i]) {
                recode(in, out, ref.sopInstanceUid(), ref.size());
              } else {
                copyExactly(in, out, lengths[i], buffer, ref.sopInstanceUid());
              }
            }
            multipart.endPart(out);
          }
          multipart.finish(out);
        };
    long total = multipart.totalLength(types, lengths);
    Response.ResponseBuilder ok = Response.ok(body, multipart.contentType());
    return (total < 0 ? ok : ok.header("Content-Length", total)).build();
  }

  /**
   * Frames of one instance, one part each: native ones as Explicit VR Little Endian octet-stream,
   * encapsulated ones passed through in their stored syntax and media type ({@link
   * WadoAccept#frames}). Negotiated from the index before the file is opened.
   */
  public Response frames(
      String study, String series, String sop, String frameList, List<MediaType> accept) {
    List<Integer> numbers = parseFrameList(frameList);
    WadoInstance ref = instances(study, series, sop).get(0);
    if (!FrameTable.framesServed(ref.transferSyntaxUid())) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames of instances stored as "
              + UID.nameOf(ref.transferSyntaxUid())
              + " are not served; retrieve the whole instance instead");
    }
    WadoAccept.FramePart part = WadoAccept.frames(accept, ref.transferSyntaxUid());
    bytes.recordAccess(study, series, sop);
    requireOnline(study, List.of(ref));
    audited(1);
    FrameTable table = frameTables.of(ref.location());
    List<long[]> frames = new ArrayList<>(numbers.size());
    for (int n : numbers) {
      frames.add(table.frame(n));
    }
    return partsResponse(
        part.mediaType(), part.contentType(), frames, ref.location(), table.swapUnit());
  }

  /**
   * Bulk data of one instance (PS3.18 10.4.1.1.3, the BulkDataURIs of its metadata): one
   * application/octet-stream part in Explicit VR Little Endian. {@code path} is a {@link
   * BulkDataPaths} path; Pixel Data (7FE00010) is answered as all its frames.
   */
  public Response bulkData(
      String study, String series, String sop, String path, List<MediaType> accept) {
    if (!BulkDataPaths.isWellFormed(path)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "bulk data path must be a tag (8 hex digits), or sequence tag/item index/.../tag: "
              + DicomwebUids.shorten(path));
    }
    if (path.equalsIgnoreCase("7FE00010")) {
      WadoInstance ref = instances(study, series, sop).get(0);
      int frames = ref.numberOfFrames() == null ? 1 : Math.max(1, ref.numberOfFrames());
      StringBuilder all = new StringBuilder("1");
      for (int f = 2; f <= frames; f++) {
        all.append(',').append(f);
      }
      return frames(study, series, sop, all.toString(), accept);
    }
    WadoAccept.requireMultipart(
        accept, WadoAccept.OCTET_STREAM, List.of(UID.ExplicitVRLittleEndian));
    WadoInstance ref = instances(study, series, sop).get(0);
    bytes.recordAccess(study, series, sop);
    requireOnline(study, List.of(ref));
    audited(1);
    byte[] value = BulkDataValue.read(bytes, ref.location(), BulkDataPaths.steps(path), path);
    MultipartRelated multipart = new MultipartRelated(WadoAccept.OCTET_STREAM);
    String type = WadoAccept.OCTET_STREAM + "; transfer-syntax=" + UID.ExplicitVRLittleEndian;
    StreamingOutput body =
        out -> {
          multipart.startPart(out, type, value.length);
          out.write(value);
          multipart.endPart(out);
          multipart.finish(out);
        };
    return Response.ok(body, multipart.contentType())
        .header(
            "Content-Length", multipart.totalLength(new String[] {type}, new long[] {value.length}))
        .build();
  }

  /** One part per frame, each streamed from its byte ranges of the stored file. */
  private Response partsResponse(
      String mediaType,
      String partType,
      List<long[]> frames,
      InstanceLocation location,
      int swapUnit) {
    MultipartRelated multipart = new MultipartRelated(mediaType);
    String[] types = new String[frames.size()];
    long[] lengths = new long[frames.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = partType;
      lengths[i] = FrameTable.length(frames.get(i));
    }
    String sop = location.sopInstanceUid();
    StreamingOutput body =
        out -> {
          byte[] buffer = new byte[COPY_BUFFER];
          for (int i = 0; i < types.length; i++) {
            multipart.startPart(out, partType, lengths[i]);
            long[] ranges = frames.get(i);
            for (int r = 0; r < ranges.length; r += 2) {
              try (InputStream in = openRangeForBody(location, ranges[r], ranges[r + 1])) {
                if (swapUnit == 0) {
                  copyExactly(in, out, ranges[r + 1], buffer, sop);
                } else {
                  copySwapped(in, out, ranges[r + 1], buffer, sop);
                }
              }
            }
            multipart.endPart(out);
          }
          multipart.finish(out);
        };
    return Response.ok(body, multipart.contentType())
        .header("Content-Length", multipart.totalLength(types, lengths))
        .build();
  }

  /**
   * The stored DICOM JSON of what the path addresses, streamed; 404 (checked before the response
   * starts) unless the node holds something there.
   */
  public StreamingOutput metadata(String study, String series, String sop, String baseUrl) {
    boolean exists;
    try {
      exists = index.exists(study, series, sop);
    } catch (SQLException e) {
      throw indexUnavailable(e);
    }
    if (!exists) {
      throw notFound(study, series, sop);
    }
    return out -> {
      WadoMetadataWriter writer = new WadoMetadataWriter(baseUrl, out);
      try {
        index.metadata(study, series, sop, config.fetchSize(), writer::write);
      } catch (SQLException e) {
        throw new IOException("metadata query failed", e);
      }
      writer.finish();
    };
  }

  /** How many instances the answer holds, for the request's audit record (node.audit). */
  private void audited(int instances) {
    var context = request.getCurrent();
    if (context != null) {
      context.put(DicomwebRequestAudit.RETRIEVED_INSTANCES, instances);
    }
  }

  /** The instances addressed by the path (series and sop may be null); 404 when there are none. */
  private List<WadoInstance> instances(String study, String series, String sop) {
    List<WadoInstance> found;
    try {
      found = index.instances(study, series, sop);
    } catch (SQLException e) {
      throw indexUnavailable(e);
    }
    if (found.isEmpty()) {
      throw notFound(study, series, sop);
    }
    return found;
  }

  /**
   * Refuses the whole retrieve with 202 (and when to come back) while any instance it needs is only
   * in the archive tier, after starting its restore: never a partial answer.
   */
  void requireOnline(String study, List<WadoInstance> instances) {
    Optional<Instant> ready;
    try {
      ready = bytes.restore(study, instances);
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE,
          "the archived instances could not be restored",
          Map.of(),
          e);
    }
    if (ready.isPresent()) {
      Instant now = Instant.now();
      long seconds = Math.max(1, (Duration.between(now, ready.get()).toMillis() + 999) / 1000);
      Instant at = now.plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
      throw new ProblemException(
          ErrorCode.BEING_RESTORED,
          "study "
              + study
              + " is being restored from the archive tier; it should be available by "
              + at
              + " (retry after "
              + seconds
              + " s)",
          Map.of(Problem.RETRY_AFTER, seconds, "availableAt", at.toString()),
          null);
    }
  }

  private static ProblemException indexUnavailable(SQLException e) {
    return new ProblemException(
        ErrorCode.STORAGE_UNAVAILABLE, "the node's index is unavailable", Map.of(), e);
  }

  private static ProblemException notFound(String study, String series, String sop) {
    String what =
        sop != null ? "instance " + sop : series != null ? "series " + series : "study " + study;
    return new ProblemException(ErrorCode.NOT_FOUND, "this node holds no " + what);
  }

  /** "1,3,5": positive frame numbers, at most 10,000 of them. */
  static List<Integer> parseFrameList(String list) {
    List<Integer> numbers = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      try {
        int n = Integer.parseInt(part.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        numbers.add(n);
      } catch (NumberFormatException e) {
        throw new ProblemException(
            ErrorCode.BAD_REQUEST,
            "frame list must be comma-separated frame numbers from 1: "
                + DicomwebUids.shorten(list));
      }
    }
    if (numbers.size() > 10_000) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "at most 10000 frames per request");
    }
    return numbers;
  }

  private InputStream openRangeForBody(InstanceLocation location, long offset, long length)
      throws IOException {
    try {
      return bytes.openRange(location, offset, length);
    } catch (IOException e) {
      throw cut(location.sopInstanceUid(), e);
    }
  }

  /**
   * As {@link #copyExactly}, swapping each 16-bit word: big endian OW frames become the little
   * endian ones Explicit VR Little Endian carries. The buffer is filled whole so no word is split.
   */
  private static void copySwapped(
      InputStream in, OutputStream out, long length, byte[] buffer, String sop) throws IOException {
    long left = length;
    while (left > 0) {
      int want = (int) Math.min(buffer.length, left);
      int n;
      try {
        n = in.readNBytes(buffer, 0, want);
      } catch (IOException e) {
        throw cut(sop, e);
      }
      if (n < want) {
        throw cut(
            sop, new IOException("instance " + sop + " ended " + (left - n) + " bytes early"));
      }
      for (int i = 0; i + 1 < n; i += 2) {
        byte b = buffer[i];
        buffer[i] = buffer[i + 1];
        buffer[i + 1] = b;
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /**
   * Re-encodes a stored uncompressed instance as Explicit VR Little Endian while sending it; a
   * stored copy that cannot be read cuts the response as a short one would.
   */
  /**
   * Re-encodes the stored instance, which must be read to its indexed size exactly, as a copy is: a
   * stored object cut short at an element boundary would otherwise re-encode as a valid, smaller
   * one.
   */
  static void recode(InputStream stored, OutputStream out, String sop, long size)
      throws IOException {
    long[] read = {0};
    InputStream in =
        new java.io.FilterInputStream(stored) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            read[0] += b >= 0 ? 1 : 0;
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read[0] += Math.max(n, 0);
            return n;
          }

          @Override
          public long skip(long n) throws IOException {
            long k = super.skip(n);
            read[0] += k;
            return k;
          }
        };
    try {
      ExplicitLittleEndianRecoder.recode(in, out);
      in.transferTo(OutputStream.nullOutputStream());
    } catch (DicomParseException e) {
      throw cut(sop, new IOException("instance " + sop + " not re-encoded: " + e.getMessage(), e));
    }
    if (read[0] != size) {
      throw cut(
          sop,
          new IOException(
              "instance "
                  + sop
                  + " not re-encoded: stored "
                  + read[0]
                  + " bytes, indexed "
                  + size));
    }
  }

  private InputStream openForBody(InstanceLocation location) throws IOException {
    try {
      return bytes.open(location);
    } catch (IOException e) {
      throw cut(location.sopInstanceUid(), e);
    }
  }

  /**
   * A storage failure once the body has started cuts the response (the connection is reset, so the
   * client sees a truncated answer, never a short clean one). Quarkus logs an IOException escaping
   * a response body only at DEBUG, as if the client had left; this one is the node's own fault, so
   * it is logged here.
   */
  private static IOException cut(String sop, IOException e) {
    LOG.warnf("WADO-RS answer cut: instance %s could not be read: %s", sop, e.toString());
    return e;
  }

  /**
   * Copies exactly the length the index promised (and the Content-Length announced): a shorter
   * object breaks the response rather than silently shifting the next part.
   */
  private static void copyExactly(
      InputStream in, OutputStream out, long length, byte[] buffer, String sop) throws IOException {
    long left = length;
    while (left > 0) {
      int n;
      try {
        n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      } catch (IOException e) {
        throw cut(sop, e);
      }
      if (n < 0) {
        throw cut(sop, new IOException("instance " + sop + " ended " + left + " bytes early"));
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }
}
