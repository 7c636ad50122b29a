package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our acceptor against dcmtk's echoscu and storescu: an independent implementation on the other
 * end.
 */
class DcmtkInteropTest {

  @TempDir Path tmp;
  RecordingStoreHandler handler;
  DicomServer server;

  @BeforeEach
  void start() throws Exception {
    handler = new RecordingStoreHandler(tmp);
    server = TestServers.start(TestServers.config(TestServers.ALL_TS), handler);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<String> storescu(String... options) {
    List<String> cmd =
        new ArrayList<>(List.of("storescu", "-aec", TestServers.AE, "-aet", "MODALITY"));
    cmd.addAll(List.of(options));
    return cmd;
  }

  private String port() {
    return Integer.toString(server.port());
  }

  @Test
  void answersEchoWithSuccess() throws Exception {
    Dcmtk.Result r = Dcmtk.run("echoscu", "-v", "-aec", TestServers.AE, "127.0.0.1", port());
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("Received Echo Response (Success)");
  }

  @Test
  void rejectsAssociationCalledWithAnotherAeTitle() throws Exception {
    Dcmtk.Result r = Dcmtk.run("echoscu", "-v", "-aec", "NOT_PONTE", "127.0.0.1", port());
    assertThat(r.ok()).isFalse();
    assertThat(r.output())
        .contains("Association Rejected")
        .contains("Called AE Title Not Recognized");
  }

  @Test
  void rejectsCallingAeTitleNotOnTheAllowList() throws Exception {
    AcceptorConfig base = TestServers.config(TestServers.ALL_TS);
    AcceptorConfig restricted =
        new AcceptorConfig(
            base.aeTitle(),
            base.sopClasses(),
            base.transferSyntaxes(),
            Set.of("KNOWN_CT"),
            base.maxPduLength(),
            base.maxAssociations(),
            base.requestTimeout(),
            base.idleTimeout());
    try (DicomServer s = TestServers.start(restricted, handler)) {
      String p = Integer.toString(s.port());
      Dcmtk.Result stranger =
          Dcmtk.run("echoscu", "-v", "-aet", "STRANGER", "-aec", "PONTE", "127.0.0.1", p);
      assertThat(stranger.ok()).isFalse();
      assertThat(stranger.output()).contains("Calling AE Title Not Recognized");
      Dcmtk.Result known =
          Dcmtk.run("echoscu", "-aet", "KNOWN_CT", "-aec", "PONTE", "127.0.0.1", p);
      assertThat(known.ok()).as(known.output()).isTrue();
    }
  }

  /**
   * Each storable sample goes first to dcmtk's storescp (bit-preserving, the oracle for what
   * storescu puts on the wire) and then, by the same storescu command, to us accepting only the
   * transfer syntax storescp negotiated: our handler must get exactly those bytes, and dcmdump must
   * read the Part 10 file written from them.
   */
  @Test
  void storesEverySampleByteForByteAsStorescuSentIt() throws Exception {
    Path dir = DicomSamples.require();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().collect(Collectors.toList());
    }
    assertThat(sendThroughOracleAndUs(files)).isGreaterThanOrEqualTo(15);
  }

  /**
   * dcmtk writes one image in each transfer syntax the node accepts; each arrives as dcmtk sent it.
   */
  @Test
  void storesDcmtkEncodedInstancesInEveryTransferSyntax() throws Exception {
    Path mr = DicomSamples.require().resolve("MR_small.dcm");
    Path gen = Files.createDirectories(tmp.resolve("generated"));
    List<Path> files = new ArrayList<>();
    String[][] conversions = {
      {"dcmconv", "+ti"}, {"dcmconv", "+te"}, {"dcmconv", "+tb"}, {"dcmconv", "+td"},
      {"dcmcjpeg", "+e1"}, {"dcmcjpeg", "+ee"}, {"dcmcjpls", "+el"}, {"dcmcrle", ""},
    };
    for (String[] c : conversions) {
      Path out = gen.resolve(c[0] + c[1] + ".dcm");
      List<String> cmd = new ArrayList<>(List.of(c[0]));
      if (!c[1].isEmpty()) {
        cmd.add(c[1]);
      }
      cmd.addAll(List.of(mr.toString(), out.toString()));
      Dcmtk.Result r = Dcmtk.run(cmd);
      assertThat(r.ok()).as(cmd + ": " + r.output()).isTrue();
      files.add(out);
    }
    assertThat(sendThroughOracleAndUs(files)).isEqualTo(conversions.length);
    assertThat(seenTransferSyntaxes)
        .contains(
            TestServers.IMPLICIT_LE,
            TestServers.EXPLICIT_LE,
            TestServers.EXPLICIT_BE,
            TestServers.DEFLATED,
            TestServers.JPEG_LOSSLESS_SV1,
            TestServers.JPEG_EXTENDED,
            TestServers.JPEG_LS_LOSSLESS,
            TestServers.RLE);
  }

  private final Set<String> seenTransferSyntaxes = new java.util.HashSet<>();

  private int sendThroughOracleAndUs(List<Path> files) throws Exception {
    Path oracleDir = Files.createDirectories(tmp.resolve("storescp"));
    int checked = 0;
    try (StorescpOracle oracle = new StorescpOracle(oracleDir)) {
      for (Path file : files) {
        Part10Oracle.Meta meta = Part10Oracle.meta(file);
        if (file.getFileName().toString().contains("truncated")
            || meta == null
            || meta.transferSyntax() == null
            || meta.sopClass() == null
            || !TestServers.SOP_CLASSES.contains(meta.sopClass())) {
          System.out.println(
              "not a storable Part 10 sample (truncated, no meta or not a storage class), skipped: "
                  + file.getFileName());
          continue;
        }
        List<String> send =
            storescu(
                "-R", proposeOption(meta.transferSyntax()), "127.0.0.1", "PORT", file.toString());
        send.set(send.indexOf("PORT"), Integer.toString(oracle.port()));
        Dcmtk.Result toOracle = Dcmtk.run(send);
        if (toOracle.output().contains("missing SOP class")) {
          System.out.println(
              "storescu cannot send it (no SOP class in the data set), skipped: "
                  + file.getFileName());
          continue;
        }
        assertThat(toOracle.ok()).as(file + " to storescp: " + toOracle.output()).isTrue();
        Path truth = oracle.takeReceived(tmp.resolve("truth.dcm"));
        String negotiated = Part10Oracle.meta(truth).transferSyntax();

        handler.received().clear(); // several samples share a SOP Instance UID
        try (DicomServer only =
            TestServers.start(TestServers.config(List.of(negotiated)), handler)) {
          send.set(send.indexOf(Integer.toString(oracle.port())), Integer.toString(only.port()));
          Dcmtk.Result r = Dcmtk.run(send);
          assertThat(r.ok()).as(file + ": " + r.output()).isTrue();
          assertThat(r.output()).doesNotContain("Store Response (Failed");
        }
        assertThat(handler.received()).hasSize(1);
        RecordingStoreHandler.Received got = handler.received().get(0);
        assertThat(got.request().sopInstanceUid())
            .isEqualTo(Part10Oracle.meta(truth).sopInstance());
        assertThat(got.request().transferSyntaxUid()).isEqualTo(negotiated);
        assertThat(got.request().sopClassUid()).isEqualTo(meta.sopClass());
        assertThat(got.request().callingAeTitle()).isEqualTo("MODALITY");
        assertThat(got.sha256())
            .as("data set of " + file.getFileName() + " in " + negotiated)
            .isEqualTo(RecordingStoreHandler.sha256(Part10Oracle.dataset(truth)));
        Dcmtk.Result dump = Dcmtk.run("dcmdump", "-q", "+P", "0008,0018", got.part10().toString());
        assertThat(dump.ok()).as(dump.output()).isTrue();
        assertThat(dump.output()).contains(got.request().sopInstanceUid()).doesNotContain("E: ");
        System.out.println(
            "byte-identical: "
                + file.getFileName()
                + " in "
                + negotiated
                + ", "
                + got.size()
                + " bytes");
        seenTransferSyntaxes.add(negotiated);
        checked++;
      }
    }
    return checked;
  }

  /**
   * Offered several syntaxes, we pick by our preference: keep compressed as is, explicit before
   * implicit.
   */
  @Test
  void choosesTheTransferSyntaxByOurPreference() throws Exception {
    Path dir = DicomSamples.require();
    String[][] cases = {
      {"MR_small.dcm", "-xi", TestServers.IMPLICIT_LE},
      {"MR_small.dcm", "-xe", TestServers.EXPLICIT_LE},
      {"MR_small.dcm", "-xb", TestServers.EXPLICIT_LE},
      {"MR_small.dcm", "-xd", TestServers.EXPLICIT_LE},
      {"JPGExtended.dcm", "-xx", TestServers.JPEG_EXTENDED},
      {"MR_small_RLE.dcm", "-xr", TestServers.RLE},
    };
    for (String[] c : cases) {
      handler.received().clear();
      // +C: one context with all syntaxes, so the choice is ours (with one context per syntax, the
      // SCU picks).
      Dcmtk.Result r =
          Dcmtk.run(storescu("+C", c[1], "127.0.0.1", port(), dir.resolve(c[0]).toString()));
      assertThat(r.ok()).as(r.output()).isTrue();
      assertThat(handler.received()).hasSize(1);
      assertThat(handler.received().get(0).request().transferSyntaxUid())
          .as(c[0] + " " + c[1])
          .isEqualTo(c[2]);
      Dcmtk.Result dump = Dcmtk.run("dcmdump", "-q", handler.received().get(0).part10().toString());
      assertThat(dump.ok()).as(dump.output()).isTrue();
    }
  }

  @Test
  void reportsTheHandlersRefusalStatusToStorescu() throws Exception {
    Path ct = DicomSamples.require().resolve("CT_small.dcm");
    handler.answer(r -> DimseStatus.of(DimseStatus.OUT_OF_RESOURCES, "disk full"));
    Dcmtk.Result full = Dcmtk.run(storescu("-v", "127.0.0.1", port(), ct.toString()));
    assertThat(full.output()).contains("Refused: OutOfResources");

    handler.answer(r -> DimseStatus.of(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "not a CT"));
    Dcmtk.Result mismatch = Dcmtk.run(storescu("-v", "127.0.0.1", port(), ct.toString()));
    assertThat(mismatch.output()).contains("Error: DataSetDoesNotMatchSOPClass");

    handler.answer(r -> DimseStatus.of(DimseStatus.CANNOT_UNDERSTAND, "unparseable"));
    Dcmtk.Result garbage = Dcmtk.run(storescu("-v", "127.0.0.1", port(), ct.toString()));
    assertThat(garbage.output()).contains("Error: CannotUnderstand");
  }

  @Test
  void rejectsThePresentationContextOfAnUnsupportedSopClass() throws Exception {
    AcceptorConfig base = TestServers.config(TestServers.ALL_TS);
    AcceptorConfig ctOnly =
        new AcceptorConfig(
            base.aeTitle(),
            Set.of(TestServers.CT),
            base.transferSyntaxes(),
            Set.of(),
            base.maxPduLength(),
            base.maxAssociations(),
            base.requestTimeout(),
            base.idleTimeout());
    try (DicomServer s = TestServers.start(ctOnly, handler)) {
      Path mr = DicomSamples.require().resolve("MR_small.dcm");
      Dcmtk.Result r =
          Dcmtk.run(storescu("-R", "-v", "127.0.0.1", Integer.toString(s.port()), mr.toString()));
      assertThat(r.output()).contains("No Acceptable Presentation Contexts");
      assertThat(handler.received()).isEmpty();
    }
  }

  @Test
  void servesParallelAssociations() throws Exception {
    Path ct = DicomSamples.require().resolve("CT_small.dcm");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Dcmtk.Result>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // +II: storescu invents a new SOP Instance UID per image, so each is a distinct instance.
        runs.add(
            pool.submit(
                () ->
                    Dcmtk.run(
                        storescu(
                            "+II",
                            "127.0.0.1",
                            port(),
                            ct.toString(),
                            ct.toString(),
                            ct.toString(),
                            ct.toString(),
                            ct.toString()))));
      }
      for (Future<Dcmtk.Result> run : runs) {
        Dcmtk.Result r = run.get();
        assertThat(r.ok()).as(r.output()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(handler.received()).hasSize(20);
    assertThat(handler.received().stream().map(r -> r.request().sopInstanceUid()).distinct())
        .hasSize(20);
  }

  /** The storescu option proposing the file's own transfer syntax (plus the uncompressed ones). */
  private static String proposeOption(String ts) {
    switch (ts) {
      case TestServers.IMPLICIT_LE:
        return "-xi";
      case TestServers.EXPLICIT_BE:
        return "-xb";
      case TestServers.DEFLATED:
        return "-xd";
      case TestServers.JPEG_BASELINE:
        return "-xy";
      case TestServers.JPEG_EXTENDED:
        return "-xx";
      case TestServers.JPEG_LOSSLESS_SV1:
        return "-xs";
      case TestServers.JPEG_LS_LOSSLESS:
        return "-xt";
      case TestServers.JPEG_LS_NEAR_LOSSLESS:
        return "-xu";
      case TestServers.JPEG_2000_LOSSLESS:
        return "-xv";
      case TestServers.JPEG_2000:
        return "-xw";
      case TestServers.RLE:
        return "-xr";
      default:
        return "-xe";
    }
  }
}
