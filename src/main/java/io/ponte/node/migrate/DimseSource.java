package io.ponte.node.migrate;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.AssociationRejectedException;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DicomServer;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.dicom.net.RoleSelection;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A PACS over DIMSE ({@code dimse://AET@host:port}): C-FIND on the study root model (STUDY level
 * for the list, SERIES then IMAGE level for the instances of one study), then C-GET of each study
 * on one association, our side taking the SCP role of the storage classes the study holds; or, with
 * a move destination, C-MOVE to a Storage SCP of our own started for the run. The study list is
 * spooled to a temp file, so an archive of millions of studies is never held in memory.
 */
final class DimseSource implements RemoteSource {

  static final String STUDY_FIND = UID.StudyRootQueryRetrieveInformationModelFind;
  static final String STUDY_GET = UID.StudyRootQueryRetrieveInformationModelGet;
  static final String STUDY_MOVE = UID.StudyRootQueryRetrieveInformationModelMove;

  private static final int MAX_PDU = 128 * 1024;

  /** Presentation context ids are odd numbers 1..255: at most 128 contexts in one request. */
  private static final int MAX_CONTEXTS = 127;

  private static final List<String> QUERY_SYNTAXES =
      List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

  private final String calledAet;
  private final String host;
  private final int port;
  private final String callingAet;
  private final Duration timeout;
  private final List<String> storageClasses;
  private final List<String> transferSyntaxes;
  private final Path spoolDir;
  private final String moveDestination;
  private final DicomServer moveScp;
  private volatile Receiver moveReceiver;

  /**
   * @param moveDestination null for C-GET; otherwise the AE title of our Storage SCP (known to the
   *     PACS), listening on {@code movePort} for the run
   */
  DimseSource(
      String calledAet,
      String host,
      int port,
      String callingAet,
      Duration timeout,
      List<String> storageClasses,
      List<String> transferSyntaxes,
      Path spoolDir,
      String moveDestination,
      int movePort)
      throws IOException {
    this.calledAet = calledAet;
    this.host = host;
    this.port = port;
    this.callingAet = callingAet;
    this.timeout = timeout;
    this.storageClasses = List.copyOf(storageClasses);
    this.transferSyntaxes = List.copyOf(transferSyntaxes);
    this.spoolDir = spoolDir;
    this.moveDestination = moveDestination;
    if (moveDestination == null) {
      moveScp = null;
      return;
    }
    moveScp =
        new DicomServer(
            new AcceptorConfig(
                moveDestination,
                Set.copyOf(storageClasses),
                transferSyntaxes,
                Set.of(),
                MAX_PDU,
                4,
                Duration.ofSeconds(10),
                timeout),
            (request, dataset) -> {
              Receiver r = moveReceiver;
              if (r == null) {
                return DimseStatus.of(DimseStatus.PROCESSING_FAILURE, "no retrieve running");
              }
              return r.receive(
                      request.sopClassUid(),
                      request.sopInstanceUid(),
                      request.transferSyntaxUid(),
                      dataset)
                  ? DimseStatus.OK
                  : DimseStatus.of(DimseStatus.OUT_OF_RESOURCES, "could not spool");
            },
            null);
    moveScp.start(InetAddress.getByName("0.0.0.0"), movePort);
  }

  @Override
  public String key() {
    return "dimse://" + calledAet + "@" + host + ":" + port;
  }

  @Override
  public void check() throws SourceUnavailableException {
    try (ClientAssociation a = open(query(STUDY_FIND), List.of())) {
      if (!a.accepts(STUDY_FIND, UID.ExplicitVRLittleEndian)
          && !a.accepts(STUDY_FIND, UID.ImplicitVRLittleEndian)) {
        throw new SourceUnavailableException(
            key() + ": does not accept C-FIND (Study Root) from " + callingAet, null);
      }
      a.release();
    } catch (SourceUnavailableException e) {
      throw e;
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  private SourceUnavailableException unavailable(IOException e) {
    String why =
        e instanceof AssociationRejectedException rj
            ? "refused the association (" + rj.reject() + "; check the AE titles)"
            : e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                ? "unreachable (" + e + ")"
                : e.toString();
    return new SourceUnavailableException(key() + ": " + why, e);
  }

  @Override
  public void studies(StudyVisitor visitor) throws IOException, InterruptedException {
    Path list = Files.createTempFile(spoolDir, "studies", ".txt");
    try {
      DimseStatus status;
      try (BufferedWriter w = Files.newBufferedWriter(list, StandardCharsets.US_ASCII);
          ClientAssociation a = open(query(STUDY_FIND), List.of())) {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI);
        keys.setString(Tag.NumberOfStudyRelatedInstances, VR.IS);
        keys.setString(Tag.SOPClassesInStudy, VR.UI);
        status =
            a.find(
                STUDY_FIND,
                keys,
                m -> {
                  String uid = m.getString(Tag.StudyInstanceUID);
                  if (uid != null && !uid.isBlank()) {
                    String[] classes = m.getStrings(Tag.SOPClassesInStudy);
                    w.write(
                        uid.trim()
                            + "\t"
                            + m.getInt(Tag.NumberOfStudyRelatedInstances, -1)
                            + "\t"
                            + (classes == null ? "" : String.join("\\", classes))
                            + "\n");
                  }
                });
      }
      if (!status.isSuccess()) {
        throw new IOException("C-FIND of the studies answered " + status);
      }
      try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.US_ASCII)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String[] f = line.split("\t", -1);
          List<String> classes = f[2].isEmpty() ? List.of() : List.of(f[2].split("\\\\"));
          visitor.visit(new Study(f[0], Integer.parseInt(f[1]), classes));
        }
      }
    } finally {
      Files.deleteIfExists(list);
    }
  }

  @Override
  public List<Instance> instances(String studyUid) throws IOException {
    List<String> series = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    try (ClientAssociation a = open(query(STUDY_FIND), List.of())) {
      Attributes keys = new Attributes();
      keys.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
      keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
      keys.setString(Tag.SeriesInstanceUID, VR.UI);
      expectSuccess(
          a.find(STUDY_FIND, keys, m -> add(series, m.getString(Tag.SeriesInstanceUID))),
          "C-FIND of the series of " + studyUid);
      for (String s : series) {
        Attributes image = new Attributes();
        image.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        image.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        image.setString(Tag.SeriesInstanceUID, VR.UI, s);
        image.setString(Tag.SOPInstanceUID, VR.UI);
        expectSuccess(
            a.find(
                STUDY_FIND,
                image,
                m -> {
                  String sop = m.getString(Tag.SOPInstanceUID);
                  if (sop != null && !sop.isBlank()) {
                    instances.add(new Instance(s, sop.trim()));
                  }
                }),
            "C-FIND of the instances of series " + s);
      }
    }
    return instances;
  }

  private static void add(List<String> list, String uid) {
    if (uid != null && !uid.isBlank()) {
      list.add(uid.trim());
    }
  }

  private static void expectSuccess(DimseStatus status, String what) throws IOException {
    if (!status.isSuccess()) {
      throw new IOException(what + " answered " + status);
    }
  }

  @Override
  public String retrieve(Study study, List<Instance> only, Receiver receiver)
      throws IOException, InterruptedException {
    List<Attributes> requests = new ArrayList<>();
    if (only == null) {
      Attributes keys = new Attributes();
      keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      keys.setString(Tag.StudyInstanceUID, VR.UI, study.uid());
      requests.add(keys);
    } else {
      for (Instance i : only) {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        keys.setString(Tag.StudyInstanceUID, VR.UI, study.uid());
        keys.setString(Tag.SeriesInstanceUID, VR.UI, i.seriesUid());
        keys.setString(Tag.SOPInstanceUID, VR.UI, i.sopInstanceUid());
        requests.add(keys);
      }
    }
    List<String> problems = new ArrayList<>();
    if (moveDestination != null) {
      moveReceiver = receiver;
      try (ClientAssociation a = open(query(STUDY_MOVE), List.of())) {
        for (Attributes keys : requests) {
          note(problems, "C-MOVE", a.move(STUDY_MOVE, moveDestination, keys));
        }
      } finally {
        moveReceiver = null;
      }
    } else {
      List<String> classes = study.sopClasses().isEmpty() ? storageClasses : study.sopClasses();
      List<PresentationContext> proposed = query(STUDY_GET);
      proposed.addAll(storage(classes, proposed.size()));
      List<RoleSelection> roles = new ArrayList<>();
      for (String c : new LinkedHashSet<>(classes)) {
        roles.add(new RoleSelection(c, false, true));
      }
      try (ClientAssociation a = open(proposed, roles)) {
        for (Attributes keys : requests) {
          note(
              problems,
              "C-GET",
              a.get(
                  STUDY_GET,
                  keys,
                  (cls, iuid, ts, data) ->
                      receiver.receive(cls, iuid, ts, data)
                          ? DimseStatus.OK
                          : DimseStatus.of(DimseStatus.OUT_OF_RESOURCES, "could not spool")));
        }
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private static void note(List<String> problems, String op, ClientAssociation.RetrieveResult r) {
    if (!r.status().isSuccess() || r.failed() > 0) {
      problems.add(
          op
              + " answered "
              + r.status()
              + " ("
              + r.completed()
              + " completed, "
              + r.failed()
              + " failed, "
              + r.warning()
              + " warnings)");
    }
  }

  private static List<PresentationContext> query(String model) {
    List<PresentationContext> list = new ArrayList<>();
    list.add(new PresentationContext(1, model, QUERY_SYNTAXES, PresentationContext.ACCEPTANCE));
    return list;
  }

  /**
   * Storage contexts with the SCP role: per class one context per transfer syntax (so the PACS can
   * send each instance as stored), as many as fit beside the {@code used} ones; uncompressed
   * explicit and implicit VR first, as every PACS can send those.
   */
  private List<PresentationContext> storage(List<String> classes, int used) {
    Set<String> distinct = new LinkedHashSet<>(classes);
    List<String> order = new ArrayList<>();
    order.add(UID.ExplicitVRLittleEndian);
    order.add(UID.ImplicitVRLittleEndian);
    for (String ts : transferSyntaxes) {
      if (!order.contains(ts)) {
        order.add(ts);
      }
    }
    int perClass = Math.max(1, Math.min(order.size(), (MAX_CONTEXTS - used) / distinct.size()));
    List<PresentationContext> list = new ArrayList<>();
    int id = 2 * used + 1;
    for (String cls : distinct) {
      if (list.size() + used >= MAX_CONTEXTS) {
        break;
      }
      if (perClass == 1) {
        list.add(
            new PresentationContext(
                id, cls, List.of(order.get(0), order.get(1)), PresentationContext.ACCEPTANCE));
        id += 2;
        continue;
      }
      for (String ts : order.subList(0, perClass)) {
        list.add(new PresentationContext(id, cls, List.of(ts), PresentationContext.ACCEPTANCE));
        id += 2;
      }
    }
    return list;
  }

  private ClientAssociation open(List<PresentationContext> proposed, List<RoleSelection> roles)
      throws IOException {
    return ClientAssociation.open(
        host, port, callingAet, calledAet, proposed, roles, MAX_PDU, timeout);
  }

  @Override
  public void close() {
    if (moveScp != null) {
      moveScp.close();
    }
  }
}
