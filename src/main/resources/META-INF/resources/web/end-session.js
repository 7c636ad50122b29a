// Sign-out's second step: the form posts the ID token to Keycloak's end-session endpoint in its body
// (never in a URL). Without script, the person presses its button.
'use strict';
(function () {
  const form = document.getElementById('end-session');
  if (form) form.submit();
})();
