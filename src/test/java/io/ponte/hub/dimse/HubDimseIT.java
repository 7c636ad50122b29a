package io.ponte.hub.dimse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubRegistry;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DIMSE query/retrieve at the hub with dcmtk as the clinic's workstation, against a real hub and
 * node (one federation for every case): a 3-series study sent to node A by storescu, published to
 * the hub; the calling AE title {@value #CLINIC} is mapped to clinic-norte with the storescp
 * {@value #DESTINATION} as its only C-MOVE destination. findscu (Patient and Study Root, every
 * level), getscu and movescu see what a clinic-norte clinician sees; a study whose patient denies
 * clinic-norte is refused whole; bad callers and identifiers get the standard refusals. A third
 * study's PatientName has all three component groups (ISO_IR 192): C-FIND matches it by its
 * ideographic or phonetic group and answers all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubDimseIT {

  /** A caller mapped to the clinic but bound to a network this machine is not on. */
  private static final String ELSEWHERE = "CLINIC_ELSEWHERE";

  static final String CLINIC = "DIMSE_IT";
  static final String DESTINATION = "DIMSE_IT_DEST";

  /** Alphabetic, ideographic and phonetic component groups of one PatientName. */
  static final String YAMADA = "Yamada^Tarou=山田^太郎=やまだ^たろう";

  PonteProcess hub;
  PonteProcess node;
  Process storescp;
  Path received;
  int hubDimse;
  String run;
  String mrn;
  String studyUid;
  String deniedStudyUid;
  String yamadaStudyUid;
  final List<String> seriesUids = new ArrayList<>();
  final Set<String> sentInstances = new TreeSet<>();

  @BeforeAll
  void startFederation() throws Exception {
    for (String tool : List.of("storescu", "findscu", "getscu", "movescu", "storescp")) {
      Dcmtk.require(tool);
    }
    int hubPort = FreePorts.next();
    int nodeDimse = FreePorts.next();
    int destinationPort = FreePorts.next();
    hubDimse = FreePorts.next();
    run = UUID.randomUUID().toString().substring(0, 8);
    received = Files.createDirectories(Paths.get("target", "it-dimse-" + run, "received"));
    storescp =
        new ProcessBuilder(
                "storescp",
                "-aet",
                DESTINATION,
                "-od",
                received.toString(),
                Integer.toString(destinationPort))
            .redirectErrorStream(true)
            .redirectOutput(received.getParent().resolve("storescp.log").toFile())
            .start();
    node =
        PonteProcess.node("hospital-a", "ponte_node_it_dimse")
            .property("ponte.node.dimse.port", Integer.toString(nodeDimse))
            .property(
                "ponte.node.storage.cache-dir",
                Paths.get("target", "it-dimse-" + run, "cache").toAbsolutePath().toString())
            .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .start();
    hub =
        PonteProcess.hub("ponte_hub_it_dimse")
            .port(hubPort)
            .env("PONTE_HUB_DIMSE_ENABLED", "true")
            .property("ponte.hub.dimse.port", Integer.toString(hubDimse))
            .property("ponte.hub.dimse.callers.\"" + CLINIC + "\".organisation", "clinic-norte")
            .property(
                "ponte.hub.dimse.callers.\"" + CLINIC + "\".destinations.\"" + DESTINATION + "\"",
                "127.0.0.1:" + destinationPort)
            .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
            // the clinic's title, held to an address this machine does not call from
            .property("ponte.hub.dimse.callers.\"" + ELSEWHERE + "\".organisation", "clinic-norte")
            .property("ponte.hub.dimse.callers.\"" + ELSEWHERE + "\".addresses", "10.9.9.0/24")
            .start();

    mrn = "DIMSE-" + run;
    DemoCatalogue.Patient patient =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", mrn, "Gonçalves^Inês", "19790203", "F", null);
    DemoCatalogue.Study study =
        new DemoCatalogue.Study(
            patient, "it-dimse-" + run, "CT", "20260314", "101500", "CT Thorax", "CHEST", 3, 2);
    studyUid = SampleStudyWriter.uid(study.key());
    List<Path> files =
        new ArrayList<>(SampleStudyWriter.write(study, received.getParent().resolve("sent"), 256));
    DemoCatalogue.Patient refusing =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", "DENY-" + run, "Dubois^Hélène", "19650612", "F", null);
    DemoCatalogue.Study denied =
        new DemoCatalogue.Study(
            refusing, "it-dimse-deny-" + run, "MR", "20250101", "090000", "MR Head", "HEAD", 1, 1);
    deniedStudyUid = SampleStudyWriter.uid(denied.key());
    List<Path> deniedFiles =
        SampleStudyWriter.write(denied, received.getParent().resolve("sent-denied"), 256);
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f);
          DicomInputStream dicom = new DicomInputStream(in)) {
        var ds = dicom.readDatasetUntilPixelData();
        sentInstances.add(ds.getString(Tag.SOPInstanceUID));
        String series = ds.getString(Tag.SeriesInstanceUID);
        if (!seriesUids.contains(series)) {
          seriesUids.add(series);
        }
      }
    }
    files.addAll(deniedFiles);
    // A Japanese patient's name in all three component groups (PS3.5 6.2.1, ISO_IR 192 as every
    // sample study is written): alphabetic, ideographic, phonetic.
    DemoCatalogue.Patient yamada =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", "YAMADA-" + run, YAMADA, "19700401", "M", null);
    DemoCatalogue.Study named =
        new DemoCatalogue.Study(
            yamada,
            "it-dimse-yamada-" + run,
            "CR",
            "20260102",
            "083000",
            "CR Chest PA",
            "CHEST",
            1,
            1);
    yamadaStudyUid = SampleStudyWriter.uid(named.key());
    files.addAll(SampleStudyWriter.write(named, received.getParent().resolve("sent-yamada"), 64));
    List<String> command =
        new ArrayList<>(
            List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(nodeDimse)));
    files.forEach(f -> command.add(f.toString()));
    Dcmtk.Result stored = Dcmtk.run(command);
    assertThat(stored.ok()).as("storescu: %s", stored.output()).isTrue();

    // The patient of the second study shares with nobody but her own hospital.
    HubRegistry.awaitPublished(hub, node, studyUid, 6);
    HubRegistry.awaitPublished(hub, node, deniedStudyUid, 1);
    HubRegistry.awaitPublished(hub, node, yamadaStudyUid, 1);
    HubFhir.denyClinicNorte(hub.baseUrl(), "DENY-" + run);
  }

  @AfterAll
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (node != null) {
      node.close();
    }
    if (storescp != null) {
      storescp.destroy();
    }
  }

  // ------------------------------------------------------------------ association

  @Test
  void aMappedCallerEchoesAndAnUnmappedOneIsRejectedAtAssociation() {
    assertThat(dcmtk("echoscu", "-aet", CLINIC).ok()).isTrue();
    Dcmtk.Result stranger = dcmtk("echoscu", "-aet", "STRANGER");
    assertThat(stranger.ok()).isFalse();
    assertThat(stranger.output()).contains("Calling AE Title Not Recognized");
    Dcmtk.Result find =
        dcmtk("findscu", "-aet", "STRANGER", "-S", "-k", "QueryRetrieveLevel=STUDY");
    assertThat(find.ok()).isFalse();
    assertThat(find.output()).contains("Calling AE Title Not Recognized");
  }

  @Test
  void aCallerBoundToItsAddressesIsRejectedFromAnyOther() {
    Dcmtk.Result spoofed =
        dcmtk("findscu", "-aet", ELSEWHERE, "-S", "-k", "QueryRetrieveLevel=STUDY");
    assertThat(spoofed.ok()).isFalse();
    assertThat(spoofed.output()).contains("Calling AE Title Not Recognized");
  }

  // ------------------------------------------------------------------ C-FIND

  @Test
  void studyRootFindsAtStudySeriesAndImageLevels() {
    String studies =
        find(
            "-S",
            "QueryRetrieveLevel=STUDY",
            "PatientID=" + mrn,
            "StudyInstanceUID",
            "PatientName",
            "NumberOfStudyRelatedInstances");
    assertThat(matches(studies)).isEqualTo(1);
    assertThat(studies)
        .contains(studyUid)
        .contains("[Gonçalves^Inês]")
        .containsPattern("IS \\[6 ?\\]");

    String series =
        find(
            "-S", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + studyUid, "SeriesInstanceUID");
    assertThat(matches(series)).isEqualTo(3);
    seriesUids.forEach(s -> assertThat(series).contains(s));

    String images =
        find(
            "-S",
            "QueryRetrieveLevel=IMAGE",
            "StudyInstanceUID=" + studyUid,
            "SeriesInstanceUID=" + seriesUids.get(0),
            "SOPInstanceUID");
    assertThat(matches(images)).isEqualTo(2);
    assertThat(audited("entity=" + studyUid + "&subtype=search")).isPositive();
    // Who asked, as far as the network tells: the association's peer (findscu, on this machine).
    assertThat(auditedAddresses("entity=" + studyUid + "&subtype=search")).contains("127.0.0.1");
  }

  @Test
  void patientRootFindsAtEveryLevel() {
    String patients =
        find(
            "-P",
            "QueryRetrieveLevel=PATIENT",
            "PatientID=" + mrn,
            "PatientName",
            "NumberOfPatientRelatedStudies");
    assertThat(matches(patients)).isEqualTo(1);
    assertThat(patients).contains(mrn).contains("Gonçalves^Inês");

    String studies = find("-P", "QueryRetrieveLevel=STUDY", "PatientID=" + mrn, "StudyInstanceUID");
    assertThat(matches(studies)).isEqualTo(1);
    assertThat(studies).contains(studyUid);

    String series =
        find(
            "-P",
            "QueryRetrieveLevel=SERIES",
            "PatientID=" + mrn,
            "StudyInstanceUID=" + studyUid,
            "SeriesInstanceUID",
            "Modality");
    assertThat(matches(series)).isEqualTo(3);

    String images =
        find(
            "-P",
            "QueryRetrieveLevel=IMAGE",
            "PatientID=" + mrn,
            "StudyInstanceUID=" + studyUid,
            "SeriesInstanceUID=" + seriesUids.get(1),
            "SOPInstanceUID");
    assertThat(matches(images)).isEqualTo(2);
  }

  @Test
  void aStudyWhosePatientDeniesTheClinicIsNotFound() {
    String denied =
        find("-S", "QueryRetrieveLevel=STUDY", "PatientID=DENY-" + run, "StudyInstanceUID");
    assertThat(matches(denied)).isZero();
    assertThat(denied).doesNotContain(deniedStudyUid);
  }

  @Test
  void malformedIdentifiersAreAnsweredA900() {
    for (String[] keys :
        List.of(
            new String[] {"-S", "QueryRetrieveLevel=FOO", "PatientID=" + mrn},
            new String[] {"-S", "QueryRetrieveLevel=PATIENT", "PatientID=" + mrn},
            new String[] {"-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=not.a.uid-x"})) {
      Dcmtk.Result r = findResult(keys);
      // dcmtk names 0xA900 "DataSetDoesNotMatchSOPClass"
      assertThat(r.output())
          .as(String.join(" ", keys))
          .contains("Final Find Response (Error: DataSetDoesNotMatchSOPClass)");
      assertThat(matches(r.output())).isZero();
    }
  }

  @Test
  void aNameMatchedByItsIdeographicOrPhoneticGroupIsAnsweredWithAllThreeGroups()
      throws IOException {
    // findscu sends -k values as the bytes of its arguments, unconverted; Java encodes them in
    // the locale's charset, which must be UTF-8 for the key to match what it declares.
    assertThat(System.getProperty("sun.jnu.encoding"))
        .as("the JVM's locale charset")
        .isEqualTo("UTF-8");
    for (String key : List.of("山田*", "やまだ*")) {
      Map<String, String> names =
          extractedFind(
              "-S",
              "(0008,0005)=ISO_IR 192",
              "QueryRetrieveLevel=STUDY",
              "(0010,0010)=" + key,
              "StudyInstanceUID");
      assertThat(names).as(key).containsEntry(yamadaStudyUid, YAMADA).doesNotContainKey(studyUid);
    }
  }

  // ------------------------------------------------------------------ C-GET, C-MOVE

  @Test
  void getscuRetrievesTheStudyOnItsOwnAssociation() throws IOException {
    Path into = Files.createDirectories(received.getParent().resolve("get-" + UUID.randomUUID()));
    Dcmtk.Result r =
        dcmtk(
            "getscu",
            "-v",
            "-aet",
            CLINIC,
            "-S",
            "-od",
            into.toString(),
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "StudyInstanceUID=" + studyUid);
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(instancesIn(into)).isEqualTo(sentInstances);
    // The node fetch is audited as a read of the study by the AE's organisation, as on DICOMweb.
    assertThat(audited("entity=" + studyUid + "&subtype=read&outcome=0")).isPositive();
  }

  @Test
  void movescuSendsTheStudyAndASeriesToTheConfiguredDestination() throws IOException {
    Dcmtk.Result r = move("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + studyUid);
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("Final Move Response (Success)");
    assertThat(moves(r.output())).isEqualTo(6);
    assertThat(instancesIn(received)).containsAll(sentInstances);

    Dcmtk.Result series =
        move(
            "QueryRetrieveLevel=SERIES",
            "StudyInstanceUID=" + studyUid,
            "SeriesInstanceUID=" + seriesUids.get(2));
    assertThat(series.output()).contains("Final Move Response (Success)");
    assertThat(moves(series.output())).isEqualTo(2);
  }

  @Test
  void aMoveToAnUnknownDestinationIsA801AndNothingIsSent() {
    Dcmtk.Result r =
        dcmtk(
            "movescu",
            "-v",
            "-aet",
            CLINIC,
            "-aem",
            "ELSEWHERE",
            "-S",
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "StudyInstanceUID=" + studyUid);
    // dcmtk names 0xA801 "Refused: MoveDestinationUnknown"
    assertThat(r.output()).contains("Final Move Response (Refused: MoveDestinationUnknown)");
  }

  @Test
  void aRetrieveOfADeniedStudyIsRefusedWhole() throws IOException {
    Path into =
        Files.createDirectories(received.getParent().resolve("denied-" + UUID.randomUUID()));
    Dcmtk.Result get =
        dcmtk(
            "getscu",
            "-v",
            "-aet",
            CLINIC,
            "-S",
            "-od",
            into.toString(),
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "StudyInstanceUID=" + deniedStudyUid);
    // 0x0124 Refused: Not Authorized (PS3.7 C); dcmtk prints it as an unknown status.
    assertThat(get.output()).contains("C-GET Response (Unknown Status: 0x124)");
    assertThat(instancesIn(into)).isEmpty();
    Dcmtk.Result move = move("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + deniedStudyUid);
    assertThat(move.output()).containsIgnoringCase("0x124").doesNotContain("(Pending)");
    assertThat(audited("entity=" + deniedStudyUid + "&subtype=read&outcome=4")).isPositive();
  }

  // ------------------------------------------------------------------ helpers

  private Dcmtk.Result dcmtk(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    command.addAll(List.of("-aec", "PONTE_HUB", "127.0.0.1", Integer.toString(hubDimse)));
    return Dcmtk.run(command);
  }

  private Dcmtk.Result move(String... keys) {
    List<String> args = new ArrayList<>(List.of("-v", "-aet", CLINIC, "-aem", DESTINATION, "-S"));
    for (String k : keys) {
      args.addAll(List.of("-k", k));
    }
    return dcmtk("movescu", args.toArray(new String[0]));
  }

  private Dcmtk.Result findResult(String... modelAndKeys) {
    List<String> args = new ArrayList<>(List.of("-v", "+sr", "-aet", CLINIC, modelAndKeys[0]));
    for (int i = 1; i < modelAndKeys.length; i++) {
      args.addAll(List.of("-k", modelAndKeys[i]));
    }
    return dcmtk("findscu", args.toArray(new String[0]));
  }

  private String find(String... modelAndKeys) {
    Dcmtk.Result r = findResult(modelAndKeys);
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("Received Final Find Response (Success)");
    return r.output();
  }

  /**
   * findscu's matches extracted to files (-X) and read with our own codec, which decodes them by
   * their Specific Character Set: StudyInstanceUID to PatientName.
   */
  private Map<String, String> extractedFind(String... modelAndKeys) throws IOException {
    Path into = Files.createDirectories(received.getParent().resolve("find-" + UUID.randomUUID()));
    List<String> args =
        new ArrayList<>(List.of("-X", "-od", into.toString(), "-aet", CLINIC, modelAndKeys[0]));
    for (int i = 1; i < modelAndKeys.length; i++) {
      args.addAll(List.of("-k", modelAndKeys[i]));
    }
    Dcmtk.Result r = dcmtk("findscu", args.toArray(new String[0]));
    assertThat(r.ok()).as(r.output()).isTrue();
    Map<String, String> names = new TreeMap<>();
    try (Stream<Path> files = Files.list(into)) {
      for (Path f : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(f);
            DicomInputStream dicom = new DicomInputStream(in)) {
          Attributes match = dicom.readDatasetUntilPixelData();
          names.put(match.getString(Tag.StudyInstanceUID), match.getString(Tag.PatientName));
        }
      }
    }
    return names;
  }

  private static final Pattern PENDING = Pattern.compile("Find Response: \\d+ \\(Pending\\)");

  private static int matches(String output) {
    Matcher m = PENDING.matcher(output);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** AuditEvents of the DIMSE caller matching {@code query}, as the authority reads them. */
  private int audited(String query) {
    List<?> entries = auditEvents(query).getList("entry");
    return entries == null ? 0 : entries.size();
  }

  /** The network addresses of the agents of those AuditEvents. */
  private List<String> auditedAddresses(String query) {
    return auditEvents(query).getList("entry.resource.agent.flatten().network.address");
  }

  private io.restassured.path.json.JsonPath auditEvents(String query) {
    return given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/fhir/AuditEvent?agent=dimse:" + CLINIC + "&" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static final Pattern MOVED = Pattern.compile("Move Response \\d+ \\(Pending\\)");

  /** The pending C-MOVE responses: one per sub-operation. */
  private static int moves(String output) {
    Matcher m = MOVED.matcher(output);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static Set<String> instancesIn(Path dir) throws IOException {
    Set<String> uids = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.getFileName().toString().endsWith(".log")) {
          continue;
        }
        try (InputStream in = Files.newInputStream(f);
            DicomInputStream dicom = new DicomInputStream(in)) {
          uids.add(dicom.readDatasetUntilPixelData().getString(Tag.SOPInstanceUID));
        }
      }
    }
    return uids;
  }
}
