// "Send to my PACS": keeps the progress page current by polling the job (plain fetch, same origin,
// the page's session cookie) until it completes or fails. The words come from the page (pt or en).
'use strict';
(function () {
  const box = document.getElementById('send-progress');
  if (!box) return;
  const bar = document.getElementById('send-bar');
  const state = document.getElementById('send-state');
  const reason = document.getElementById('send-reason');
  const words = box.dataset;
  const finished = (s) => s === 'completed' || s === 'failed';

  function show(job) {
    bar.max = job.total;
    bar.value = job.completed;
    bar.textContent = job.completed + ' / ' + job.total;
    const word = words['word' + job.state.charAt(0).toUpperCase() + job.state.slice(1)];
    if (word && state.textContent !== word) state.textContent = word;
    document.getElementById('send-done').textContent = job.completed;
    document.getElementById('send-failed').textContent = job.failed;
    document.getElementById('send-total').textContent = job.total;
    if (job.failure) {
      // in the page's words; the recorded reason, in English, is the small print for IT
      document.getElementById('send-reason-words').textContent = job.failure;
      document.getElementById('send-reason-technical').textContent = job.reason;
      reason.hidden = false;
    }
    box.dataset.state = job.state;
  }

  async function poll() {
    try {
      const answer = await fetch(words.poll, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (answer.ok) {
        const job = await answer.json();
        show(job);
        if (finished(job.state)) return;
      }
    } catch (e) {
      // a dropped poll is retried on the next tick
    }
    setTimeout(poll, 1000);
  }

  if (!finished(words.state)) setTimeout(poll, 500);
})();
