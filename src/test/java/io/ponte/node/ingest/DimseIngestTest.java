package io.ponte.node.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.StoreException;
import io.ponte.testing.DicomSamples;
import io.ponte.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's DICOM listener, booted by Quarkus, driven by dcmtk, storing through InstanceStore. */
@QuarkusTest
@TestProfile(DimseNodeTestProfile.class)
class DimseIngestTest {

  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  @Inject DimseListener listener;
  @Inject TempDirInstanceStore store;

  @TempDir Path tmp;

  private static Path samples() {
    return DicomSamples.require();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return "exit " + p.exitValue() + "\n" + out;
  }

  private List<String> storescu(String callingAe, Path... files) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "storescu",
                "-v",
                "-aet",
                callingAe,
                "-aec",
                "PONTE_A",
                "127.0.0.1",
                Integer.toString(listener.port())));
    for (Path f : files) {
      cmd.add(f.toString());
    }
    return cmd;
  }

  @Test
  void listensOnANodeAndAnswersEcho() throws Exception {
    assertThat(listener.isListening()).isTrue();
    given()
        .get(Management.url("/q/health/ready"))
        .then()
        .statusCode(200)
        .body(
            "checks.find { it.name == 'ponte-dimse' }.status", org.hamcrest.Matchers.equalTo("UP"))
        .body(
            "checks.find { it.name == 'ponte-dimse' }.data.port",
            org.hamcrest.Matchers.equalTo(listener.port()));
    String out =
        run("echoscu", "-v", "-aec", "PONTE_A", "127.0.0.1", Integer.toString(listener.port()));
    assertThat(out).startsWith("exit 0").contains("Received Echo Response (Success)");
    String wrong = run("echoscu", "-aec", "PONTE", "127.0.0.1", Integer.toString(listener.port()));
    assertThat(wrong).doesNotStartWith("exit 0").contains("Called AE Title Not Recognized");
  }

  @Test
  void aCallingAeTitleBoundToItsAddressesIsRefusedFromAnyOther() throws Exception {
    String port = Integer.toString(listener.port());
    String spoofed = run("echoscu", "-aet", "CT_ELSEWHERE", "-aec", "PONTE_A", "127.0.0.1", port);
    assertThat(spoofed).doesNotStartWith("exit 0").contains("Calling AE Title Not Recognized");
    String fromItsAddress = run("echoscu", "-aet", "CT_HERE", "-aec", "PONTE_A", "127.0.0.1", port);
    assertThat(fromItsAddress).startsWith("exit 0");
    String unbound = run("echoscu", "-aet", "US_ANYWHERE", "-aec", "PONTE_A", "127.0.0.1", port);
    assertThat(unbound).as("a title bound to no address").startsWith("exit 0");
  }

  @Test
  void storesWhatAModalitySendsThroughTheInstanceStore() throws Exception {
    Path ct = samples().resolve("CT_small.dcm");
    String out = run(storescu("CT_SCANNER", ct).toArray(String[]::new));
    assertThat(out).startsWith("exit 0").contains("Received Store Response (Success)");
    TempDirInstanceStore.Stored stored =
        store.get("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
    assertThat(stored).isNotNull();
    assertThat(stored.source().protocol()).isEqualTo(IngestSource.Protocol.DIMSE);
    assertThat(stored.source().caller()).isEqualTo("CT_SCANNER");
    assertThat(stored.source().remoteAddress()).isEqualTo("127.0.0.1");
    String dump = run("dcmdump", "-q", "+P", "0010,0010", stored.file().toString());
    assertThat(dump).startsWith("exit 0").contains("PatientName");

    // The same bytes again: success, nothing new.
    assertThat(run(storescu("CT_SCANNER", ct).toArray(String[]::new)))
        .contains("Received Store Response (Success)");

    given()
        .get(Management.url("/q/metrics"))
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.containsString("ponte_dimse_instances_total{outcome=\"stored\""))
        .body(
            org.hamcrest.Matchers.containsString(
                "ponte_dimse_instances_total{outcome=\"duplicate\""))
        .body(
            org.hamcrest.Matchers.containsString(
                "ponte_dimse_associations_total{outcome=\"accepted\""));
  }

  @Test
  void refusesDifferentContentUnderAStoredSopInstanceUidAndKeepsTheOriginal() throws Exception {
    Path mr = samples().resolve("MR_small.dcm");
    assertThat(run(storescu("MR_SCANNER", mr).toArray(String[]::new)))
        .contains("Received Store Response (Success)");
    String uid = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
    String original = store.get(uid).sha256();

    Path changed = tmp.resolve("changed.dcm");
    Files.copy(mr, changed);
    assertThat(run("dcmodify", "-nb", "-m", "(0010,0010)=Someone^Else", changed.toString()))
        .startsWith("exit 0");
    String out = run(storescu("MR_SCANNER", changed).toArray(String[]::new));
    assertThat(out)
        .doesNotContain("Received Store Response (Success)")
        .contains("Error: CannotUnderstand");
    assertThat(store.get(uid).sha256()).isEqualTo(original);
  }

  @Test
  void mapsStoreRefusalsToDimseStatusesWithTheErrorCodeInTheComment() throws Exception {
    Object[][] cases = {
      {StoreException.Reason.OUT_OF_RESOURCES, DimseStatus.OUT_OF_RESOURCES, "storage-unavailable"},
      {StoreException.Reason.INVALID_DATA, DimseStatus.CANNOT_UNDERSTAND, "invalid-dicom"},
      {
        StoreException.Reason.INVALID_UID,
        DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
        "invalid-uid"
      },
      {
        StoreException.Reason.CONFLICTING_DUPLICATE,
        DimseStatus.DUPLICATE_WITH_DIFFERENT_CONTENT,
        "conflict"
      },
      {
        StoreException.Reason.NOT_SUPPORTED,
        DimseStatus.SOP_CLASS_NOT_SUPPORTED,
        "unsupported-media-type"
      },
    };
    try (ClientAssociation a = open()) {
      for (Object[] c : cases) {
        store.failNext(new StoreException((StoreException.Reason) c[0], "because " + c[0]));
        DimseStatus status =
            a.store(
                CT,
                "1.2.826.0.1.3680043.2.1",
                AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
                new ByteArrayInputStream(new byte[128]));
        assertThat(status.code()).as(c[0].toString()).isEqualTo((int) c[1]);
        assertThat(status.errorComment()).isEqualTo("ponte:" + c[2] + ": because " + c[0]);
      }
    }
  }

  @Test
  void refusesAnInvalidSopInstanceUidBeforeStoring() throws Exception {
    try (ClientAssociation a = open()) {
      DimseStatus status =
          a.store(
              CT,
              "1.2.03.4",
              AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
              new ByteArrayInputStream(new byte[128]));
      assertThat(status.code()).isEqualTo(DimseStatus.INVALID_SOP_INSTANCE);
      assertThat(status.errorComment()).startsWith("ponte:invalid-uid: ");
    }
    assertThat(store.get("1.2.03.4")).isNull();
  }

  private ClientAssociation open() throws IOException {
    return ClientAssociation.open(
        "127.0.0.1",
        listener.port(),
        "TESTSCU",
        "PONTE_A",
        List.of(PresentationContext.proposed(1, CT, AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN)),
        16384,
        Duration.ofSeconds(10));
  }
}
