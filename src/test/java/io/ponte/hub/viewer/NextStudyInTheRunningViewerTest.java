package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hub's app-config.js, run in node with the browser's {@code location}, {@code history} and
 * events stood in for: which addresses {@code window.ponteViewer.open} shows in the running OHIF (a
 * history entry in its router's format, then the {@code popstate} that router listens to), and
 * which it refuses so the clinician's page loads them instead. The real switch between two studies
 * in one OHIF is driven in chromium by ClinicianViewsPriorsInOhifIT.
 */
class NextStudyInTheRunningViewerTest {

  @ParameterizedTest(name = "at {0}, open {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The next study, from a study shown: in the app, one step further in its history.
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /viewer/viewer/ponte?StudyInstanceUIDs=1.2.2"
            + " | true; pushed /viewer/viewer/ponte?StudyInstanceUIDs=1.2.2 idx 5; popstate idx 5",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1"
            + " | http://hub.example/viewer/segmentation/ponte?StudyInstanceUIDs=1.2.2"
            + " | true; pushed /viewer/segmentation/ponte?StudyInstanceUIDs=1.2.2 idx 5;"
            + " popstate idx 5",
        // The study already shown: nothing to do but come forward.
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /viewer/viewer/ponte?StudyInstanceUIDs=1.2.1"
            + " | true",
        // From OHIF's study list, the route the hub's pages give: in the app too.
        "/viewer/ | /viewer/viewer/ponte?StudyInstanceUIDs=1.2.2"
            + " | true; pushed /viewer/viewer/ponte?StudyInstanceUIDs=1.2.2 idx 5; popstate idx 5",
        // From the list, the shorter route: the list's own rule (a load the hub sees) still holds.
        "/viewer/ | /viewer/viewer?StudyInstanceUIDs=1.2.2"
            + " | true; loaded http://hub.example/viewer/viewer?StudyInstanceUIDs=1.2.2",
        // Not a study of this viewer: refused, and nothing happens in it.
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1"
            + " | https://elsewhere.example/viewer/viewer/ponte?StudyInstanceUIDs=1.2.2 | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /viewer/nosuchmode/ponte?StudyInstanceUIDs=1.2"
            + " | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1"
            + " | /viewer/viewer/ponte?StudyInstanceUIDs=1.2&StudyInstanceUIDs=1.3 | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /viewer/viewer/ponte | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /clinician/restore?study=1.2.2 | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | /viewerx/viewer/ponte?StudyInstanceUIDs=1.2"
            + " | false",
        "/viewer/viewer/ponte?StudyInstanceUIDs=1.2.1 | http://[broken | false",
      })
  void showsOnlyThisViewersOneStudyAddressesInPlace(String from, String href, String expected)
      throws Exception {
    String script = ViewerAppConfig.script("http://hub.example");
    String harness =
        NodeScript.BROWSER_AT
            + """
        globalThis.history = {
          state: { usr: null, key: 'shown', idx: 4 },
          pushState(s, t, u) {
            this.state = s;
            const to = new URL(u, location.href);
            out.push('pushed ' + to.pathname + to.search + ' idx ' + s.idx);
          } };
        globalThis.PopStateEvent = class { constructor(type, init) { this.type = type; this.state = init.state; } };
        globalThis.dispatchEvent = (e) => out.push(e.type + ' idx ' + e.state.idx);
        eval(process.argv[3]);
        out.unshift(String(window.ponteViewer.open(process.argv[2])));
        console.log(out.join('; '));
        """;
    String output = NodeScript.run(harness, from, href, script);
    assertThat(output).isEqualTo(expected);
  }
}
