package io.ponte.hub.dimse;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.FileMetaReader;
import io.ponte.dicom.Tag;
import io.ponte.dicom.json.DicomJsonReader;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.dicom.net.QueryRetrieveHandler.Responder;
import io.ponte.dicom.net.QueryRetrieveRequest;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.dicomweb.HubQidoService;
import io.ponte.hub.dicomweb.HubWadoService;
import io.ponte.hub.dicomweb.NodeResponse;
import io.ponte.stream.MultipartRelatedReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * C-GET and C-MOVE at the hub: what the identifier names is listed from the registry (QIDO, for the
 * counts and SOP classes), fetched from the owning node through the hub's WADO-RS path (the same
 * consent decision and audit record as a DICOMweb retrieve) and sent on, part by part as it streams
 * in, as C-STORE sub-operations: on the same association (C-GET) or on a new one to the caller's
 * configured destination (C-MOVE). A study the caller may not see under consent refuses the whole
 * retrieve before anything is sent.
 *
 * <p>The clinician's "Send to my PACS" (hub/send) runs the same plan and the same part-by-part
 * forwarding ({@link #planStudy}, {@link #forward}) into its own C-STORE association ({@link
 * #openStore}) or a STOW-RS request.
 */
@ApplicationScoped
public class DimseRetrieve {

  private static final Logger LOG = Logger.getLogger(DimseRetrieve.class);

  /** Instances as stored, whatever their transfer syntax (the hub never transcodes). */
  static final List<String> ACCEPT_AS_STORED =
      List.of("multipart/related; type=\"application/dicom\"; transfer-syntax=*");

  private static final Pattern BOUNDARY =
      Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

  @Inject HubQidoService qido;

  @Inject HubWadoService wado;

  @Inject HubDimseConfig config;

  /** One WADO-RS request to a node: a study, a series, or an instance. */
  public record Unit(String study, String series, String instance, int expected) {
    String path() {
      return "/studies/"
          + study
          + (series == null ? "" : "/series/" + series)
          + (instance == null ? "" : "/instances/" + instance);
    }

    String[] otherUids() {
      return series == null
          ? new String[0]
          : instance == null ? new String[] {series} : new String[] {series, instance};
    }
  }

  /**
   * What the sub-operations run against: the C-GET's own association, a C-MOVE's new one, or a
   * clinician's send to the clinic's PACS.
   */
  public interface Sink {
    /** Whether this instance can be sent in its stored syntax. */
    boolean accepts(String sopClass, String transferSyntax);

    /** Stores one instance, the bare data set streamed from {@code data}; the receiver's status. */
    DimseStatus store(String sopClass, String sopInstance, String ts, InputStream data)
        throws IOException;
  }

  /** Who follows the sub-operations: a C-GET/C-MOVE requestor, or a send job's progress. */
  public interface Progress {
    boolean cancelled() throws IOException;

    void progress(int remaining, int completed, int failed, int warning) throws IOException;
  }

  /** A study's retrieve as planned from the registry: what to fetch, and which SOP classes. */
  public record Plan(List<Unit> units, Set<String> sopClasses) {
    public int total() {
      return units.stream().mapToInt(Unit::expected).sum();
    }
  }

  /** The sub-operations' final counts. */
  public record Counts(int completed, int failed, int warning, boolean cancelled) {}

  DimseStatus retrieve(
      QueryRetrieveRequest request,
      QueryModel.Level level,
      Attributes identifier,
      HubDimseConfig.Caller caller,
      Responder responder)
      throws IOException {
    String destination = null;
    if (request.isMove()) {
      destination =
          request.moveDestination() == null
              ? null
              : caller.destinations().get(request.moveDestination());
      if (destination == null) {
        LOG.infof(
            "C-MOVE from %s to unknown destination %s refused",
            request.callingAeTitle(), request.moveDestination());
        return DimseStatus.of(
            DimseStatus.MOVE_DESTINATION_UNKNOWN,
            "move destination not configured for " + request.callingAeTitle());
      }
    }
    List<Unit> units = new ArrayList<>();
    Set<String> sopClasses = new LinkedHashSet<>();
    DimseStatus refused = plan(level, identifier, units, sopClasses);
    if (refused != null) {
      return refused;
    }
    String what =
        request.isMove()
            ? "DIMSE C-MOVE to " + request.moveDestination()
            : "DIMSE C-GET by " + request.callingAeTitle();
    int total = units.stream().mapToInt(Unit::expected).sum();
    if (!request.isMove()) {
      return status(forward(units, total, what, progress(responder), getSink(responder)));
    }
    ClientAssociation move;
    try {
      move = openStore(request.moveDestination(), destination, sopClasses);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("C-MOVE destination %s (%s): %s", request.moveDestination(), destination, e);
      return DimseStatus.of(
          DimseStatus.OUT_OF_RESOURCES_SUBOPERATIONS,
          "move destination " + request.moveDestination() + " not reachable");
    }
    try (move) {
      return status(forward(units, total, what, progress(responder), moveSink(move, request)));
    }
  }

  /**
   * The whole study as the current caller may retrieve it: refused (a {@link
   * io.ponte.error.ProblemException}, audited through the WADO path) when the study is unknown or
   * withheld by consent, before anything is fetched.
   */
  public Plan planStudy(String studyUid) throws IOException {
    Attributes identifier = new Attributes();
    identifier.setString(Tag.StudyInstanceUID, io.ponte.dicom.VR.UI, studyUid);
    List<Unit> units = new ArrayList<>();
    Set<String> sopClasses = new LinkedHashSet<>();
    DimseStatus refused = plan(QueryModel.Level.STUDY, identifier, units, sopClasses);
    if (refused != null) {
      throw new io.ponte.error.ProblemException(
          refused.code() == DimseStatus.NOT_AUTHORIZED
              ? io.ponte.error.ErrorCode.CONSENT_DENIED
              : io.ponte.error.ErrorCode.BAD_REQUEST,
          refused.errorComment());
    }
    return new Plan(units, sopClasses);
  }

  /**
   * Fetches each planned unit from its owning node through the WADO path (audited as {@code what})
   * and stores its instances one by one into {@code sink} as they stream in.
   */
  public Counts forward(Plan plan, String what, Progress progress, Sink sink) throws IOException {
    return forward(plan.units(), plan.total(), what, progress, sink);
  }

  private static Progress progress(Responder responder) {
    return new Progress() {
      @Override
      public boolean cancelled() throws IOException {
        return responder.cancelled();
      }

      @Override
      public void progress(int remaining, int completed, int failed, int warning)
          throws IOException {
        responder.progress(remaining, completed, failed, warning);
      }
    };
  }

  private static DimseStatus status(Counts counts) {
    if (counts.cancelled()) {
      return DimseStatus.of(DimseStatus.CANCEL, "cancelled");
    }
    if (counts.failed() == 0 && counts.warning() == 0) {
      return DimseStatus.OK;
    }
    return counts.completed() + counts.warning() == 0
        ? DimseStatus.of(DimseStatus.OUT_OF_RESOURCES_SUBOPERATIONS, "no sub-operation succeeded")
        : DimseStatus.of(
            DimseStatus.SUBOPERATIONS_COMPLETE_WITH_FAILURES, counts.failed() + " failed");
  }

  /**
   * Lists what the identifier names (the registry, as the caller sees it); returns a refusal, or
   * null with {@code units} filled. A study withheld by consent is asked for through the WADO path
   * once more, so that the refusal is audited as a refused retrieve.
   */
  private DimseStatus plan(
      QueryModel.Level level, Attributes identifier, List<Unit> units, Set<String> sopClasses)
      throws IOException {
    String[] studies = values(identifier, Tag.StudyInstanceUID);
    String[] series = values(identifier, Tag.SeriesInstanceUID);
    String[] instances = values(identifier, Tag.SOPInstanceUID);
    if (level == QueryModel.Level.PATIENT) {
      String patient = DimseFind.joined(identifier, Tag.PatientID);
      if (patient.isEmpty() || patient.contains("*") || patient.contains("?")) {
        return DimseStatus.of(
            DimseStatus.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "PATIENT level needs a PatientID");
      }
      List<String> found = new ArrayList<>();
      for (Attributes s :
          parse(qido.studies(Map.of(DimseFind.hex(Tag.PatientID), List.of(patient))))) {
        found.add(s.getString(Tag.StudyInstanceUID));
      }
      studies = found.toArray(new String[0]);
    } else if (studies.length == 0
        || (level != QueryModel.Level.STUDY && studies.length != 1)
        || (level == QueryModel.Level.SERIES && series.length == 0)
        || (level == QueryModel.Level.IMAGE && (series.length != 1 || instances.length == 0))) {
      return DimseStatus.of(
          DimseStatus.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
          "unique keys missing for the " + level + " level");
    }
    for (String study : studies) {
      HubQidoService.Answer answer = qido.seriesOrInstances(study, null, true, Map.of());
      if (answer.warnings().contains(ConsentEnforcement.FILTERED_WARNING)) {
        // Refused through the WADO path, so the refusal is the retrieve's own audit record.
        wado.open("DIMSE retrieve", study, "/studies/" + study, ACCEPT_AS_STORED).body().close();
        return DimseStatus.of(DimseStatus.NOT_AUTHORIZED, "refused by patient consent");
      }
      List<Attributes> listed = parse(answer);
      switch (level) {
        case PATIENT, STUDY -> {
          units.add(new Unit(study, null, null, listed.size()));
          listed.forEach(i -> sopClasses.add(i.getString(Tag.SOPClassUID)));
        }
        case SERIES -> {
          for (String se : series) {
            List<Attributes> in =
                listed.stream().filter(i -> se.equals(i.getString(Tag.SeriesInstanceUID))).toList();
            if (!in.isEmpty()) {
              units.add(new Unit(study, se, null, in.size()));
              in.forEach(i -> sopClasses.add(i.getString(Tag.SOPClassUID)));
            }
          }
        }
        case IMAGE -> {
          for (String sop : instances) {
            for (Attributes i : listed) {
              if (sop.equals(i.getString(Tag.SOPInstanceUID))
                  && series[0].equals(i.getString(Tag.SeriesInstanceUID))) {
                units.add(new Unit(study, series[0], sop, 1));
                sopClasses.add(i.getString(Tag.SOPClassUID));
              }
            }
          }
        }
      }
    }
    sopClasses.remove(null);
    return null;
  }

  private Counts forward(List<Unit> units, int total, String what, Progress responder, Sink sink)
      throws IOException {
    int completed = 0;
    int failed = 0;
    int warning = 0;
    for (Unit unit : units) {
      int done = 0;
      try {
        NodeResponse r =
            wado.open(what, unit.study(), unit.path(), ACCEPT_AS_STORED, unit.otherUids());
        try (InputStream body = r.body()) {
          MultipartRelatedReader reader =
              new MultipartRelatedReader(body, boundary(r.header("content-type")));
          MultipartRelatedReader.Part part;
          while ((part = reader.next()) != null) {
            if (responder.cancelled()) {
              // The final response repeats the counts; remaining ones were never started.
              responder.progress(
                  Math.max(0, total - completed - failed - warning), completed, failed, warning);
              return new Counts(completed, failed, warning, true);
            }
            InputStream content = part.content();
            Attributes meta = FileMetaReader.read(content);
            String ts = meta.getString(Tag.TransferSyntaxUID);
            String cls = meta.getString(Tag.MediaStorageSOPClassUID);
            String iuid = meta.getString(Tag.MediaStorageSOPInstanceUID);
            done++;
            DimseStatus status =
                cls != null && iuid != null && ts != null && sink.accepts(cls, ts)
                    ? sink.store(cls, iuid, ts, content)
                    : null;
            if (status == null) {
              LOG.infof("%s: %s in %s has no accepted presentation context", what, cls, ts);
              failed++;
            } else if (status.isSuccess()) {
              completed++;
            } else if (status.isWarning()) {
              warning++;
            } else {
              failed++;
            }
            responder.progress(
                Math.max(0, total - completed - failed - warning), completed, failed, warning);
          }
        }
      } catch (io.ponte.error.ProblemException e) {
        // The node or the registry refused this part (audited as refused by the WADO path).
        LOG.infof("%s of %s: %s", what, unit.path(), e.getMessage());
      }
      failed += Math.max(0, unit.expected() - done);
    }
    return new Counts(completed, failed, warning, false);
  }

  private static Sink getSink(Responder responder) {
    return new Sink() {
      @Override
      public boolean accepts(String sopClass, String ts) {
        return responder.storeTransferSyntax(sopClass, ts) != null;
      }

      @Override
      public DimseStatus store(String sopClass, String sopInstance, String ts, InputStream data)
          throws IOException {
        return responder.store(sopClass, sopInstance, ts, data);
      }
    };
  }

  private static Sink moveSink(ClientAssociation move, QueryRetrieveRequest request) {
    return new Sink() {
      @Override
      public boolean accepts(String sopClass, String ts) {
        return move.accepts(sopClass, ts);
      }

      @Override
      public DimseStatus store(String sopClass, String sopInstance, String ts, InputStream data)
          throws IOException {
        return move.store(
            sopClass, sopInstance, ts, data, request.callingAeTitle(), request.messageId());
      }
    };
  }

  /**
   * An association from the hub to a storage SCP ({@code host:port}, called {@code calledAeTitle}):
   * each SOP class in each syntax we may send (a C-MOVE's destination, a clinic's PACS).
   */
  public ClientAssociation openStore(
      String calledAeTitle, String destination, Set<String> sopClasses) throws IOException {
    int colon = destination.lastIndexOf(':');
    String host = destination.substring(0, colon);
    int port = Integer.parseInt(destination.substring(colon + 1).trim());
    List<String> syntaxes = config.moveTransferSyntaxes();
    if (sopClasses.size() * syntaxes.size() > 127) {
      syntaxes = syntaxes.subList(0, Math.min(2, syntaxes.size()));
    }
    List<PresentationContext> proposed = new ArrayList<>();
    int id = 1;
    for (String cls : sopClasses) {
      for (String ts : syntaxes) {
        if (id > 255) {
          break;
        }
        proposed.add(PresentationContext.proposed(id, cls, ts));
        id += 2;
      }
    }
    if (proposed.isEmpty()) {
      // Nothing to send: still check the destination answers, with Verification.
      proposed.add(
          PresentationContext.proposed(
              1, io.ponte.dicom.net.AcceptorConfig.VERIFICATION, syntaxes.get(0)));
    }
    return ClientAssociation.open(
        host.trim(),
        port,
        config.aeTitle(),
        calledAeTitle,
        proposed,
        config.maxPduLength(),
        config.moveTimeout());
  }

  private static String boundary(String contentType) throws IOException {
    Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
    if (!m.find()) {
      throw new IOException("the node's answer names no multipart boundary");
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private static List<Attributes> parse(HubQidoService.Answer answer) throws IOException {
    try (DicomJsonReader reader = DicomJsonReader.of(new ByteArrayInputStream(answer.json()))) {
      return reader.readDatasets();
    }
  }

  private static String[] values(Attributes identifier, int tag) {
    String joined = DimseFind.joined(identifier, tag);
    return joined.isEmpty() ? new String[0] : joined.split("\\\\");
  }
}
