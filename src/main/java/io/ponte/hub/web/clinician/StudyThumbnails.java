package io.ponte.hub.web.clinician;

import io.ponte.dicom.render.ImageRenderer;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.Actors;
import io.ponte.hub.dicomweb.HubWadoService;
import io.ponte.hub.dicomweb.NodeBody;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A small picture of a study for the timeline: the study's DICOMweb thumbnail (PS3.18 10.7),
 * retrieved exactly as {@code GET /dicomweb/studies/{uid}/thumbnail} retrieves it (the same {@link
 * HubWadoService} call: role, registry visibility, consent, node client, audit) and drawn at the
 * owning node, so only the picture travels. What the node cannot draw (no image series) or may not
 * send is a neutral placeholder with the retrieve's status, so the timeline never shows a broken
 * image.
 */
@ApplicationScoped
public class StudyThumbnails {

  static final int SIZE = 128;

  /** A thumbnail larger than this is not a thumbnail: the placeholder is shown instead. */
  static final int MAX_THUMBNAIL_BYTES = 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(StudyThumbnails.class);

  @Inject HubWadoService wado;

  @Inject CurrentVertxRequest request;

  /** The thumbnail as JPEG, with the status to send (200, or the retrieve's refusal). */
  public record Thumbnail(int status, byte[] jpeg) {}

  /** The thumbnail of {@code studyUid}; empty when no such study is visible to the caller. */
  public Optional<Thumbnail> of(String studyUid) {
    request.getCurrent().request().headers().set(Actors.PURPOSE_HEADER, "treatment");
    Response r;
    try {
      r =
          wado.retrieve(
              HubWadoService.Kind.RENDERED,
              studyUid,
              "/studies/" + studyUid + "/thumbnail?viewport=" + SIZE + "," + SIZE,
              List.of("image/jpeg"),
              new String[0]);
    } catch (ProblemException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return Optional.empty();
      }
      // refused (and audited as such): a placeholder with the status
      return Optional.of(new Thumbnail(e.code().status(), placeholder()));
    }
    if (r.getStatus() == 406) {
      // nothing to draw (a report-only study): not an error
      return Optional.of(new Thumbnail(200, placeholder()));
    }
    if (r.getStatus() != 200) {
      // consent refused, site unreachable...: the picture says nothing, the status says why
      return Optional.of(new Thumbnail(r.getStatus(), placeholder()));
    }
    try {
      BoundedBuffer jpeg = new BoundedBuffer(MAX_THUMBNAIL_BYTES);
      // The node's bytes as they are (NodeBody), or through a transformation (StreamingOutput).
      if (r.getEntity() instanceof NodeBody passed) {
        try (InputStream in = passed.node().body()) {
          in.transferTo(jpeg);
        }
      } else if (r.getEntity() instanceof StreamingOutput body) {
        body.write(jpeg);
      } else {
        return Optional.of(new Thumbnail(200, placeholder()));
      }
      return Optional.of(new Thumbnail(200, jpeg.toByteArray()));
    } catch (IOException | UncheckedTooLarge e) {
      LOG.debugf(e, "thumbnail of study %s not received", studyUid);
      return Optional.of(new Thumbnail(200, placeholder()));
    }
  }

  static byte[] placeholder() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      ImageRenderer.write(ImageRenderer.placeholder(SIZE), "image/jpeg", out);
      return out.toByteArray();
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
      super("thumbnail too large", null, false, false);
    }
  }
}
