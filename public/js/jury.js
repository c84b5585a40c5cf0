// Jury scoring page (J3): saves scores and the note as the juror works, and says so quietly in an
// aria-live region. The form still works without this file (plain submit).
(function () {
  'use strict';
  var form = document.querySelector('form[data-jury-autosave]');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = form.querySelector('[data-save-status]');
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var timer = null;
  var inFlight = null;
  var pending = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    if (inFlight) { pending = true; return; }
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (key !== 'action' && typeof value === 'string') body.append(key, value);
    });
    body.append('action', 'save');
    say(status.getAttribute('data-saving'));
    inFlight = fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'x-csrf-token': tokenMeta ? tokenMeta.getAttribute('content') : ''
      },
      body: body.toString()
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok) say(status.getAttribute('data-saved'));
        else say(status.getAttribute('data-failed').replace('{message}', data.error || res.statusText));
      });
    }).catch(function () {
      say(status.getAttribute('data-offline'));
    }).then(function () {
      inFlight = null;
      if (pending) { pending = false; save(); }
    });
  }

  function later(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  form.addEventListener('change', function (event) {
    if (event.target && event.target.type === 'radio') later(50);
  });
  form.addEventListener('input', function (event) {
    if (event.target && event.target.name === 'note') later(800);
  });
  // The form's own submit sends everything: a save still waiting would only race it.
  form.addEventListener('submit', function () {
    if (timer) clearTimeout(timer);
    pending = false;
  });
})();
