package io.ponte.node.ingest.stow;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.ingest.StoreRefusal;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoredInstance;
import io.ponte.role.PonteConfig;
import io.ponte.stream.MultipartRelatedReader;
import io.ponte.text.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * One STOW-RS request: reads the multipart body part by part and hands each part, as a stream, to
 * the {@link InstanceStore}; collects per-instance results for the response. One bad part fails
 * alone; a body whose multipart syntax breaks is a 400 when nothing was stored, else the broken
 * part is reported failed beside what was already stored (those instances are durable and must not
 * be disowned).
 */
@ApplicationScoped
public class StowService {

  private static final Logger LOG = Logger.getLogger(StowService.class);

  @Inject InstanceStore store;

  @Inject PonteConfig ponte;

  public StowOutcome store(
      InputStream body, String boundary, String targetStudy, IngestSource source) {
    String base = Urls.withoutTrailingSlash(ponte.publicUrl()) + "/dicomweb/studies/";
    StowOutcome outcome = new StowOutcome(targetStudy == null ? null : base + targetStudy);
    MultipartRelatedReader reader = new MultipartRelatedReader(body, boundary);
    while (true) {
      MultipartRelatedReader.Part part;
      try {
        part = reader.next();
      } catch (IOException e) {
        if (outcome.stored().isEmpty()) {
          throw new ProblemException(
              ErrorCode.BAD_REQUEST, "malformed multipart body: " + e.getMessage());
        }
        outcome.failed(
            new StowOutcome.Failed(
                null,
                null,
                StoreRefusal.INVALID_DATA.stowFailureReason(),
                "malformed multipart body: " + e.getMessage()));
        break;
      }
      if (part == null) {
        break;
      }
      if (!isDicomPart(part.header("Content-Type"))) {
        outcome.failed(
            new StowOutcome.Failed(
                null,
                null,
                StoreRefusal.INVALID_DATA.stowFailureReason(),
                "part " + reader.partCount() + " is not application/dicom"));
        continue;
      }
      try {
        StoredInstance s = store.storePart10(source, part.content(), targetStudy);
        outcome.stored(
            new StowOutcome.Stored(
                s.sopClassUid(),
                s.sopInstanceUid(),
                base
                    + s.studyInstanceUid()
                    + "/series/"
                    + s.seriesInstanceUid()
                    + "/instances/"
                    + s.sopInstanceUid()));
        outcome.storedIn(s.studyInstanceUid());
      } catch (StoreException e) {
        StoreRefusal refusal = StoreRefusal.of(e);
        LOG.infof(
            "STOW-RS part %d from %s refused (%s): %s",
            reader.partCount(), source.caller(), refusal, e.getMessage());
        outcome.failed(
            new StowOutcome.Failed(
                e.sopClassUid(),
                e.sopInstanceUid(),
                refusal.stowFailureReason(),
                refusal.errorCode().comment(StoreRefusal.detail(e))));
        if (reader.malformed() != null) {
          break;
        }
      }
    }
    if (reader.malformed() != null && outcome.stored().isEmpty()) {
      // Nothing stored and the body itself is broken: a syntax error of the request (PS3.18
      // 10.5.3).
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "malformed multipart body: " + reader.malformed().getMessage());
    }
    if (outcome.stored().isEmpty() && outcome.failed().isEmpty()) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "the multipart body has no parts");
    }
    return outcome;
  }

  /**
   * A part without Content-Type takes the request's type parameter (application/dicom, RFC 2387).
   */
  private static boolean isDicomPart(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/dicom");
  }
}
