package io.ponte;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubRetrieval;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.browser.BrowserScripts;
import io.ponte.testing.browser.OhifViewer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The clinic clinician's story in a real browser: a hub and two hospital nodes, a prior at each;
 * ana.clinic opens OHIF at the hub's /viewer, signs in at Keycloak, opens each prior and sees its
 * image painted, with no failed request (src/test/browser/specs/ohif-viewer.js); then, from the
 * clinician workspace's timeline, each prior in the viewer's own window, the second by the OHIF the
 * first started (not loaded again). OHIF comes from {@code ponte.sh install-viewer}; if it cannot
 * be installed the test is skipped, or fails under CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClinicianViewsPriorsInOhifIT {

  final List<PonteProcess> processes = new ArrayList<>();
  PonteProcess hub;
  final List<String[]> studies = new ArrayList<>();

  @BeforeAll
  void startAFederationWithAPriorAtEachHospital() throws Exception {
    Dcmtk.require("storescu");
    Path ohif = OhifViewer.require();
    BrowserScripts.chromium();
    int hubPort = FreePorts.next();
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> nodeUrls = new ArrayList<>();
    for (String site : List.of("hospital-a", "hospital-b")) {
      int dimse = FreePorts.next();
      PonteProcess node =
          PonteProcess.node(site, "ponte_node_it_ohif_" + site.substring(site.length() - 1))
              .property("ponte.node.dimse.port", Integer.toString(dimse))
              .property(
                  "ponte.node.storage.cache-dir",
                  Paths.get("target", "it-cache-ohif-" + site + "-" + run)
                      .toAbsolutePath()
                      .toString())
              .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
              .property("ponte.node.publish.quiet-period", "2s")
              .property("ponte.node.publish.poll-interval", "1s")
              .start();
      processes.add(node);
      nodeUrls.add(node.baseUrl());
      DemoCatalogue.Patient patient =
          new DemoCatalogue.Patient(
              site, site.toUpperCase(), "OHIF-" + run, "Gonçalves^Inês", "19790203", "F", null);
      DemoCatalogue.Study study =
          new DemoCatalogue.Study(
              patient,
              "it-ohif-" + site + "-" + run,
              "CT",
              "20260314",
              "101500",
              "CT Thorax " + site + " " + run,
              "CHEST",
              1,
              3);
      List<Path> files =
          SampleStudyWriter.write(study, Paths.get("target", "it-ohif-" + site + "-" + run), 256);
      List<String> command =
          new ArrayList<>(
              List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(dimse)));
      files.forEach(f -> command.add(f.toString()));
      Process storescu = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(storescu.getInputStream().readAllBytes());
      assertThat(storescu.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(storescu.exitValue()).as("storescu: %s", output).isZero();
      studies.add(new String[] {site, SampleStudyWriter.uid(study.key()), study.description()});
    }
    hub =
        PonteProcess.hub("ponte_hub_it_ohif")
            .port(hubPort)
            .property("ponte.hub.federation.node-url.hospital-a", nodeUrls.get(0))
            .property("ponte.hub.federation.node-url.hospital-b", nodeUrls.get(1))
            .property("ponte.hub.viewer.dir", ohif.toString())
            .start();
    processes.add(hub);
  }

  @AfterAll
  void stop() {
    processes.forEach(PonteProcess::close);
  }

  @Test
  void theClinicClinicianOpensAPriorFromEachHospitalInOhif() throws Exception {
    StringBuilder json =
        new StringBuilder(
            "{\"username\":\"ana.clinic\",\"name\":\"Gonçalves\",\"birthDate\":\"1979-02-03\","
                + "\"studies\":[");
    for (String[] s : studies) {
      awaitRetrievable(s[1]);
      json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
          .append("{\"site\":\"")
          .append(s[0])
          .append("\",\"uid\":\"")
          .append(s[1])
          .append("\",\"description\":\"")
          .append(s[2])
          .append("\"}");
    }
    json.append("]}");
    BrowserScripts.run("ohif-viewer", hub.baseUrl(), json.toString());
    assertThat(BrowserScripts.SCREENSHOTS.resolve("ohif-hospital-a.png")).exists();
    assertThat(BrowserScripts.SCREENSHOTS.resolve("ohif-hospital-b.png")).exists();
    assertThat(BrowserScripts.SCREENSHOTS.resolve("ohif-window-hospital-b.png")).exists();
  }

  private void awaitRetrievable(String uid) throws InterruptedException {
    HubRetrieval.awaitRetrievable(hub.baseUrl(), uid);
  }
}
