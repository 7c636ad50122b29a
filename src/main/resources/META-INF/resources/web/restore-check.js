// A restore whose expected time has passed: the node learns that the study is back only when it is
// read, so the page asks it through its own form (a POST with the page's CSRF token), as the
// clinician's "Check now" button would. Without script, the button stays.
'use strict';
(function () {
  const form = document.getElementById('restore-check');
  if (form) setTimeout(() => form.requestSubmit(), 1000);
})();
