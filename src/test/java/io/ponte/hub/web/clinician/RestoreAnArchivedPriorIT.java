package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.hub.viewer.ViewerAppConfig;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubRetrieval;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.WebSignIn;
import io.ponte.testing.browser.BrowserScripts;
import io.ponte.testing.browser.OhifViewer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A clinician opens an archived prior, against a real hub, node, Keycloak, PostgreSQL and Azurite
 * (whose rehydration the node simulates, 4 s here): the study, archived with {@code ponte node
 * archive}, is listed archived on the timeline, whose action leads to the restore page, not to OHIF
 * (which would stay black on the node's 202), and so does OHIF's own study list (in chromium:
 * src/test/browser/specs/ohif-archived-prior.js). Showing the page starts nothing; a POST without
 * the form's CSRF token is refused; the form's POST starts the restore, and the page and the
 * timeline say "being restored" with when; once the wait is over the page's check finds it back and
 * offers the viewer, and the timeline links it to OHIF again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreAnArchivedPriorIT {

  static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
  static final Pattern STATE = Pattern.compile("id=\"restore-state\" data-state=\"([A-Z_]+)\"");

  final List<PonteProcess> processes = new ArrayList<>();
  PonteProcess.Builder nodeSettings;
  PonteProcess hub;
  String mrn;
  String studyUid;
  WebSignIn ana;

  @BeforeAll
  void startAHubAndANodeWithAnArchivedPrior() throws Exception {
    Dcmtk.require("storescu");
    OhifViewer.installed(); // before the hub starts, which looks once; required by the browser step
    int hubPort = FreePorts.next();
    int dimse = FreePorts.next();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dir = Paths.get("target", "it-restore-" + run);
    nodeSettings =
        PonteProcess.node("hospital-a", "ponte_node_it_restore")
            .property("ponte.node.dimse.port", Integer.toString(dimse))
            .property("ponte.node.storage.blob-container", "it-restore-" + run)
            .property("ponte.node.storage.upload-interval", "1s")
            .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .env("PONTE_NODE_SIMULATED_REHYDRATION", "4s")
            .env("PONTE_NODE_CACHE_DIR", dir.resolve("cache").toAbsolutePath().toString());
    PonteProcess node = nodeSettings.start();
    processes.add(node);
    hub =
        PonteProcess.hub("ponte_hub_it_restore")
            .port(hubPort)
            .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
            .property("ponte.hub.viewer.dir", OhifViewer.DIR.toString())
            .start();
    processes.add(hub);
    mrn = "RESTORE-" + run;
    DemoCatalogue.Patient patient =
        new DemoCatalogue.Patient(
            "hospital-a", "HOSPITAL-A", mrn, "Gonçalves^Inês", "19790203", "F", null);
    DemoCatalogue.Study study =
        new DemoCatalogue.Study(
            patient, "it-restore-" + run, "CR", "20200611", "101500", "CR Torax", "CHEST", 1, 2);
    studyUid = SampleStudyWriter.uid(study.key());
    List<String> command =
        new ArrayList<>(List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(dimse)));
    SampleStudyWriter.write(study, dir.resolve("sent"), 256).forEach(f -> command.add(f + ""));
    Process storescu = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(storescu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(storescu.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(storescu.exitValue()).as("storescu: %s", output).isZero();
    awaitRetrievable();
    archive();
  }

  @AfterAll
  void stop() {
    processes.forEach(PonteProcess::close);
  }

  /** First, while the study is archived: the rest of the story does not need OHIF or chromium. */
  @Test
  @Order(1)
  void openedFromOhifsOwnStudyListTheArchivedPriorLeadsToTheRestorePage() throws Exception {
    OhifViewer.require();
    BrowserScripts.chromium();
    BrowserScripts.run(
        "ohif-archived-prior",
        hub.baseUrl(),
        "{\"username\":\"ana.clinic\",\"uid\":\"" + studyUid + "\",\"description\":\"CR Torax\"}");
    assertThat(BrowserScripts.SCREENSHOTS.resolve("ohif-list-archived-prior.png")).exists();
  }

  @Test
  @Order(2)
  void theClinicianStartsTheRestoreFromThePageAndGetsTheViewerOnceItIsBack() throws Exception {
    ana = WebSignIn.signIn(url("/"), "ana.clinic").browser();
    String timeline = timelineHref();

    String row = get(timeline).body();
    assertThat(row)
        .contains("data-state=\"ARCHIVED\"")
        .contains("href=\"/clinician/restore?study=" + studyUid + "&amp;back=")
        .doesNotContain("/viewer/viewer?StudyInstanceUIDs=" + studyUid);

    // A direct load of the viewer's route (a bookmark) is sent by the same page, which stays.
    HttpResponse<String> direct = get("/viewer/viewer?StudyInstanceUIDs=" + studyUid);
    assertThat(direct.statusCode()).isEqualTo(303);
    HttpResponse<String> looked = get(WebSignIn.location(direct));
    assertThat(looked.statusCode()).isEqualTo(200);
    assertThat(state(looked.body())).isEqualTo("ARCHIVED");
    // in the viewer's own tab: whatever it offers later opens there, not in another window
    assertThat(looked.body()).doesNotContain("viewer-window.js", "target=\"ponte-viewer\"");

    String restore = RestorePages.href(studyUid, timeline);
    HttpResponse<String> page = get(restore);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("Arquivado em Hospital A", "Iniciar o restauro", "CR Torax")
        .doesNotContain("/viewer/viewer");
    assertThat(state(get(restore).body()))
        .as("showing the page twice starts nothing")
        .isEqualTo("ARCHIVED");

    HttpResponse<String> forged =
        ana.post(url("/clinician/restore"), Map.of("study", studyUid, "back", timeline));
    assertThat(forged.statusCode()).as("no CSRF token").isEqualTo(400);
    String shown = get(restore).body();
    assertThat(state(shown)).isEqualTo("ARCHIVED");
    // The newest page's token: each page with a form signs a token of its own (and sets its
    // cookie).
    String token = csrf(shown);

    HttpResponse<String> started =
        ana.post(
            url("/clinician/restore"),
            Map.of("study", studyUid, "back", timeline, "csrf-token", token));
    assertThat(started.statusCode()).isEqualTo(303);
    HttpResponse<String> restoring = get(WebSignIn.location(started));
    assertThat(state(restoring.body())).isEqualTo("RESTORING");
    assertThat(restoring.body())
        .contains("Em restauro, previsto até <time datetime=\"")
        .contains("<meta http-equiv=\"refresh\" content=\"");
    assertThat(get(timeline).body()).contains("data-state=\"RESTORING\"");

    // The page reloads itself; once the expected time is over it checks through its form.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> now = get(restore);
    while (!"ONLINE".equals(state(now.body())) && System.nanoTime() < deadline) {
      if (now.body().contains("id=\"restore-check\"")) {
        assertThat(now.body()).contains("/web/restore-check.js");
        HttpResponse<String> checked =
            ana.post(
                url("/clinician/restore"),
                Map.of("study", studyUid, "back", timeline, "csrf-token", csrf(now.body())));
        // still restoring: back to the page (303); found back: the page, online, at once (200)
        assertThat(checked.statusCode()).isIn(200, 303);
        now = checked.statusCode() == 303 ? get(WebSignIn.location(checked)) : checked;
      } else {
        Thread.sleep(1000);
        now = get(restore);
      }
    }
    assertThat(state(now.body())).isEqualTo("ONLINE");
    assertThat(now.body())
        .contains("Disponível em Hospital A")
        // from the timeline, so in the viewer's window (web/viewer-window.js)
        .contains(
            "id=\"restore-open\" href=\""
                + ViewerAppConfig.studyHref(studyUid)
                + "\" target=\"ponte-viewer\"")
        .contains("/web/viewer-window.js")
        .doesNotContain("http-equiv=\"refresh\"");
    assertThat(get(timeline).body())
        .contains(
            "data-state=\"ONLINE\"",
            "href=\"" + ViewerAppConfig.studyHref(studyUid) + "\" target=\"ponte-viewer\"");
    // Online, the viewer's own route passes through the page straight on to OHIF.
    HttpResponse<String> through =
        get(WebSignIn.location(get("/viewer/viewer?StudyInstanceUIDs=" + studyUid)));
    assertThat(through.statusCode()).isEqualTo(303);
    assertThat(WebSignIn.location(through)).endsWith(ViewerAppConfig.studyHref(studyUid));

    // Audited as viewing is: the restore's retrieve, deferred (202) while the node restored it.
    String trail = HubFhir.auditTrail(hub.baseUrl(), studyUid).asString();
    assertThat(trail).contains("restore of an archived study", "ponte:being-restored");
  }

  private String url(String path) {
    return hub.baseUrl() + path;
  }

  private HttpResponse<String> get(String pathOrUrl) {
    return ana.get(URI.create(hub.baseUrl() + "/").resolve(pathOrUrl).toString(), Map.of());
  }

  private String timelineHref() {
    String search =
        get("/?identifier=" + URLEncoder.encode(mrn, StandardCharsets.UTF_8) + "&site=hospital-a")
            .body();
    Matcher m = Pattern.compile("href=\"(/clinician/patients/[^\"]+)\"").matcher(search);
    assertThat(m.find()).as("the patient is found: %s", search).isTrue();
    return m.group(1);
  }

  private static String state(String html) {
    Matcher m = STATE.matcher(html);
    assertThat(m.find()).as("a restore state in %s", html).isTrue();
    return m.group(1);
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF token in the form").isTrue();
    return m.group(1).replace("&#61;", "=");
  }

  private void awaitRetrievable() throws InterruptedException {
    HubRetrieval.awaitRetrievable(hub.baseUrl(), studyUid);
  }

  /** As an operator would (the demo does the same): refused until every instance is in Blob. */
  private void archive() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    PonteProcess.Builder.Run last = null;
    while (System.nanoTime() < deadline) {
      last =
          nodeSettings.run(
              Duration.ofMinutes(2),
              "node",
              "archive",
              "--site",
              "hospital-a",
              "--study",
              studyUid,
              "--by",
              "RestoreAnArchivedPriorIT");
      if (last.exitCode() == 0) {
        return;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("the study could not be archived: " + last.output());
  }
}
