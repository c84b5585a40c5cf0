// The presenter's view (C6): a clicker or the keyboard runs the show (Page Down/→/space next, Page Up/←
// back, B or . black screen), every form is sent in the background, and the view follows the show
// (another presenter window, a phone's vote) over the audience's stream without reloading. Without this
// file every control is a plain form.
(function () {
  'use strict';
  var root = document.getElementById('presenter');
  if (!root) return;
  var busy = false;
  root.classList.add('is-enhanced');
  function fit() { if (window.slideFit) window.slideFit.fitAll(root); }
  fit();
  window.addEventListener('resize', fit);

  // The clock runs from the server's time (the app's clock) on the page's own timer, in Swedish time.
  var clockEl = document.getElementById('clock');
  var serverStart = clockEl ? Date.parse(clockEl.getAttribute('datetime')) : NaN;
  var pageStart = performance.now();
  var clockFormat = new Intl.DateTimeFormat(document.documentElement.lang === 'sv' ? 'sv-SE' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' });
  function clock() {
    var el = document.getElementById('clock');
    if (!el || isNaN(serverStart)) return;
    var text = clockFormat.format(new Date(serverStart + performance.now() - pageStart));
    el.textContent = document.documentElement.lang === 'sv' ? text.replace(':', '.') : text;
  }
  setInterval(clock, 1000);
  clock();

  // Fetches the view again and swaps it in, keeping the focus on the same control where it can.
  var refreshing = null;
  var again = false;
  function refresh() {
    if (refreshing) { again = true; return refreshing; }
    var focused = document.activeElement;
    var focusKey = focused && focused.closest && focused.closest('form') ? focused.closest('form').getAttribute('action') + '|' + (focused.closest('form').querySelector('[name="action"]') || {}).value + '|' + (focused.closest('form').querySelector('[name="slide"]') || {}).value : null;
    refreshing = fetch(location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('presenter');
        if (!fresh) return;
        root.innerHTML = fresh.innerHTML;
        root.dataset.key = fresh.dataset.key;
        root.dataset.black = fresh.dataset.black;
        fit();
        if (focusKey) {
          var forms = root.querySelectorAll('form');
          for (var i = 0; i < forms.length; i++) {
            var f = forms[i];
            var k = f.getAttribute('action') + '|' + (f.querySelector('[name="action"]') || {}).value + '|' + (f.querySelector('[name="slide"]') || {}).value;
            var b = f.querySelector('button');
            if (k === focusKey && b && !b.disabled) { b.focus(); break; }
          }
        }
      })
      .catch(function () { /* the next message or action brings the view back */ })
      .then(function () {
        refreshing = null;
        if (again) { again = false; refresh(); }
      });
    return refreshing;
  }

  // A press while the previous one is on its way is kept and sent right after (a clicker is pressed fast).
  var queued = null;
  function send(form) {
    if (busy) return;
    busy = true;
    var body = new URLSearchParams(new FormData(form));
    // getAttribute: the forms have a field named "action", which hides the form's own action property.
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return refresh();
      })
      .catch(function () { form.submit(); })
      .then(function () {
        busy = false;
        if (queued) { var action = queued; queued = null; press(action); }
      });
  }

  root.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-presenter-form')) return;
    event.preventDefault();
    send(form);
  });

  function press(action) {
    if (busy) { queued = action; return; }
    var button = root.querySelector('[data-key-action="' + action + '"]');
    if (!button) return;
    if (button.disabled) {
      // At the drumroll the next step is the confirmed reveal: take the presenter there.
      var confirm = document.getElementById('reveal-confirm');
      if (action === 'next' && confirm) confirm.focus();
      return;
    }
    send(button.form);
  }

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && target.closest && target.closest('input, select, textarea')) return;
    var onControl = target && target.closest && target.closest('a, button');
    switch (event.key) {
      case 'PageDown':
      case 'ArrowRight':
        event.preventDefault(); press('next'); break;
      case ' ':
        if (onControl) return;
        event.preventDefault(); press('next'); break;
      case 'PageUp':
      case 'ArrowLeft':
        event.preventDefault(); press('previous'); break;
      case 'b':
      case 'B':
      case '.':
        event.preventDefault(); press('black'); break;
      default:
    }
  });

  // Follow the show: a slide moved from another window, a vote came in.
  var source = null;
  var countsTimer = null;
  function connect() {
    if (!window.EventSource) return;
    if (source) source.close();
    source = new EventSource(root.dataset.stream);
    source.addEventListener('slide', function (event) {
      try {
        var data = JSON.parse(event.data);
        if (data.key !== root.dataset.key || String(data.black) !== root.dataset.black) refresh();
      } catch (e) { /* ignore a malformed message */ }
    });
    source.addEventListener('counts', function () {
      if (countsTimer) return;
      countsTimer = setTimeout(function () { countsTimer = null; refresh(); }, 500);
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
    };
  }
  connect();
  window.addEventListener('online', connect);
  window.addEventListener('pagehide', function () { if (source) source.close(); });
})();
