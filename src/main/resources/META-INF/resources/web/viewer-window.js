// "Open in viewer" opens the study in the clinician's viewer window (the links' target,
// "ponte-viewer"): the first time a new window that starts OHIF; after that the OHIF already running
// there is told to show the next study (window.ponteViewer, from the hub's app-config.js), so OHIF
// starts once per session rather than once per study, and the window comes to the front. A window
// the page cannot reach (closed, or on another site such as the sign-in) is sent to the link as
// any link would be. Modified clicks (a new tab, a new window) keep the browser's own behaviour.
'use strict';
(function () {
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[target="ponte-viewer"]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    // '' opens nothing new when the window exists: it only hands it back (or a blank new one)
    const viewer = window.open('', link.target);
    if (!viewer) return; // blocked: the link's own navigation
    event.preventDefault();
    let shown = false;
    try {
      shown = Boolean(viewer.ponteViewer && viewer.ponteViewer.open(link.href));
    } catch (e) {
      // another origin's page in the window (the sign-in): it loads the link instead
    }
    if (!shown) viewer.location.href = link.href;
    viewer.focus();
  });
})();
