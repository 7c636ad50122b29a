package io.ponte.hub.web.clinician;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.render.ImageRenderer;
import io.ponte.dicom.render.UnrenderableException;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.audit.Actors;
import io.ponte.hub.dicomweb.HubWadoService;
import io.ponte.hub.registry.ImagingStudyReader;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.jboss.logging.Logger;

/**
 * A small picture of a study for the timeline: the middle instance of the study's first image
 * series, retrieved exactly as {@code GET /dicomweb/studies/.../instances/...} retrieves it (the
 * same {@link HubWadoService} call: role, registry visibility, node client, audit), drawn by {@link
 * ImageRenderer}. What cannot be drawn (compressed pixel data, no image series) is a neutral
 * placeholder, so the timeline never shows a broken image.
 */
@ApplicationScoped
public class StudyThumbnails {

  static final int SIZE = 128;

  /** An instance larger than this is not fetched for a thumbnail (placeholder instead). */
  static final int MAX_INSTANCE_BYTES = 64 * 1024 * 1024;

  /** Series that hold no pictures (reports, key objects, presentation states, documents...). */
  private static final Set<String> NOT_IMAGES =
      Set.of("SR", "KO", "PR", "DOC", "REG", "RTPLAN", "RTSTRUCT", "RTDOSE", "AU", "ECG");

  private static final Logger LOG = Logger.getLogger(StudyThumbnails.class);

  @Inject ImagingStudyReader studies;

  @Inject HubWadoService wado;

  @Inject CurrentVertxRequest request;

  /** The thumbnail as JPEG, with the status to send (200, or the retrieve's refusal). */
  public record Thumbnail(int status, byte[] jpeg) {}

  /** The thumbnail of {@code studyUid}; empty when no such study is visible to the caller. */
  public Optional<Thumbnail> of(String studyUid) {
    request.getCurrent().request().headers().set(Actors.PURPOSE_HEADER, "treatment");
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    query.putSingle(
        "identifier", IdentifierSystems.DICOM_UID + "|" + IdentifierSystems.oid(studyUid));
    query.putSingle("_count", "1");
    Bundle found = studies.search(query);
    Optional<ImagingStudy> study =
        found.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(ImagingStudy.class::isInstance)
            .map(ImagingStudy.class::cast)
            .findFirst();
    if (study.isEmpty()) {
      return Optional.empty();
    }
    Optional<String[]> instance = representative(study.get());
    if (instance.isEmpty()) {
      return Optional.of(new Thumbnail(200, placeholder()));
    }
    String series = instance.get()[0];
    String sop = instance.get()[1];
    Response r;
    try {
      r =
          wado.retrieve(
              HubWadoService.Kind.INSTANCES,
              studyUid,
              "/studies/" + studyUid + "/series/" + series + "/instances/" + sop,
              List.of("multipart/related; type=\"application/dicom\""),
              series,
              sop);
    } catch (ProblemException e) {
      // refused (and audited as such) or the site is unreachable: a placeholder with the status
      return Optional.of(new Thumbnail(e.code().status(), placeholder()));
    }
    if (r.getStatus() != 200 || !(r.getEntity() instanceof StreamingOutput body)) {
      // consent refused, site unreachable...: the picture says nothing, the status says why
      return Optional.of(new Thumbnail(r.getStatus(), placeholder()));
    }
    try {
      byte[] part = firstPart(body, boundary(r));
      Attributes ds;
      try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part))) {
        in.readFileMetaInformation();
        ds = in.readDataset();
      }
      int frame = (ImageRenderer.frames(ds) + 1) / 2;
      BufferedImage image = ImageRenderer.fit(ImageRenderer.render(ds, frame, null), SIZE, SIZE);
      return Optional.of(new Thumbnail(200, jpeg(image)));
    } catch (UnrenderableException e) {
      return Optional.of(new Thumbnail(200, placeholder()));
    } catch (IOException | UncheckedTooLarge e) {
      LOG.debugf(e, "thumbnail of study %s not drawn", studyUid);
      return Optional.of(new Thumbnail(200, placeholder()));
    }
  }

  /** The middle instance (by number) of the first series with pictures: {series, instance}. */
  static Optional<String[]> representative(ImagingStudy study) {
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      String modality = series.hasModality() ? series.getModality().getCode() : null;
      if (NOT_IMAGES.contains(modality) || !series.hasInstance()) {
        continue;
      }
      List<ImagingStudy.ImagingStudySeriesInstanceComponent> instances =
          series.getInstance().stream()
              .sorted(Comparator.comparingInt(i -> i.hasNumber() ? i.getNumber() : 0))
              .toList();
      return Optional.of(
          new String[] {series.getUid(), instances.get((instances.size() - 1) / 2).getUid()});
    }
    return Optional.empty();
  }

  private static String boundary(Response r) throws IOException {
    for (Map.Entry<String, List<Object>> h : r.getMetadata().entrySet()) {
      if (h.getKey().equalsIgnoreCase("content-type") && !h.getValue().isEmpty()) {
        for (String param : h.getValue().get(0).toString().split(";")) {
          String p = param.trim();
          if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
            return p.substring(9).replace("\"", "");
          }
        }
      }
    }
    throw new IOException("the node's answer names no multipart boundary");
  }

  /** The body of the first part of a multipart/related answer read whole (bounded). */
  static byte[] firstPart(StreamingOutput body, String boundary) throws IOException {
    BoundedBuffer buffer = new BoundedBuffer(MAX_INSTANCE_BYTES);
    body.write(buffer);
    byte[] all = buffer.toByteArray();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int start = indexOf(all, delimiter, 0);
    int headersEnd =
        start < 0 ? -1 : indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
    if (headersEnd < 0) {
      throw new IOException("no part in the node's answer");
    }
    int from = headersEnd + 4;
    int to = indexOf(all, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), from);
    if (to < 0) {
      throw new IOException("the node's answer ends inside its first part");
    }
    return java.util.Arrays.copyOfRange(all, from, to);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    ImageRenderer.write(image, "image/jpeg", out);
    return out.toByteArray();
  }

  static byte[] placeholder() {
    try {
      return jpeg(ImageRenderer.placeholder(SIZE));
    } catch (IOException e) {
      throw new IllegalStateException("the JDK writes JPEG", e);
    }
  }

  /** A byte buffer that refuses to grow past its limit. */
  private static final class BoundedBuffer extends ByteArrayOutputStream {
    private final int limit;

    BoundedBuffer(int limit) {
      super(64 * 1024);
      this.limit = limit;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      check(len);
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      check(1);
      super.write(b);
    }

    private void check(int more) {
      if (count + more > limit) {
        throw new UncheckedTooLarge();
      }
    }
  }

  private static final class UncheckedTooLarge extends RuntimeException {
    UncheckedTooLarge() {
      super("instance too large for a thumbnail", null, false, false);
    }
  }
}
