package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hub's app-config.js, run in node with the browser's {@code location} and {@code history}
 * stood in for: which of OHIF's in-app navigations become a load the hub sees (and sends an
 * archived study by the restore page), and which stay inside the viewer. The real navigation from
 * OHIF's study list is driven in chromium by RestoreAnArchivedPriorIT.
 */
class StudyListNavigationTest {

  @ParameterizedTest(name = "from {0} to {1}: {2}")
  @CsvSource({
    // OHIF's study list opening one study: through the hub.
    "/viewer/, /viewer/viewer?StudyInstanceUIDs=1.2.840.1, loaded",
    "/viewer/, http://hub.example/viewer/viewer?StudyInstanceUIDs=1.2.840.1&x=1, loaded",
    // Already the route the hub gives, several studies, none, back to the list: in the app.
    "/viewer/, /viewer/viewer/ponte?StudyInstanceUIDs=1.2.840.1, pushed",
    "/viewer/, /viewer/viewer?StudyInstanceUIDs=1.2&StudyInstanceUIDs=1.3, pushed",
    "/viewer/, /viewer/viewer, pushed",
    "/viewer/viewer/ponte, /viewer/, pushed",
    // The viewer rewriting its own address: never a reload.
    "/viewer/viewer/ponte, /viewer/viewer?StudyInstanceUIDs=1.2.840.1, pushed",
    "/viewer/viewer, /viewer/viewer?StudyInstanceUIDs=1.2.840.1, pushed",
    // Another of OHIF's modes from the list: through the hub too; not a mode: in the app.
    "/viewer/, /viewer/segmentation?StudyInstanceUIDs=1.2.840.1, loaded",
    "/viewer/, /viewer/tmtv?StudyInstanceUIDs=1.2.840.1, loaded",
    "/viewer/, /viewer/nosuchmode?StudyInstanceUIDs=1.2.840.1, pushed",
    "/viewer/, /viewer/null?StudyInstanceUIDs=1.2.840.1, pushed",
    "/viewer/segmentation/ponte, /viewer/segmentation?StudyInstanceUIDs=1.2.840.1, pushed",
    "/viewer/tmtv, /viewer/viewer?StudyInstanceUIDs=1.2.840.1, pushed",
    // Another origin is not the hub's route.
    "/viewer/, https://elsewhere.example/viewer/viewer?StudyInstanceUIDs=1.2.840.1, pushed",
  })
  void onlyOhifsStudyListOpeningOneStudyGoesThroughTheHub(String from, String to, String expected)
      throws Exception {
    String script = ViewerAppConfig.script("http://hub.example");
    String harness =
        NodeScript.BROWSER_AT
            + """
        globalThis.history = { pushState: (s, t, u) => out.push('pushed ' + u) };
        eval(process.argv[3]);
        history.pushState({}, '', process.argv[2]);
        console.log(out.join('\\n'));
        """;
    String output = NodeScript.run(harness, from, to, script);
    assertThat(output).startsWith(expected + " ").doesNotContain("\n");
    if (expected.equals("loaded")) {
      assertThat(output).endsWith(to.startsWith("http") ? to : "http://hub.example" + to);
    }
  }
}
