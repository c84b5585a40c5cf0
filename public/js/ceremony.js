// Presentation mode (C1): keyboard control, the reveal (C3) and the live chart (C2) over server-sent
// events. Without this file every slide is still reachable with ?slide=N links and plain forms.
(function () {
  'use strict';
  var deck = document.getElementById('deck');
  if (!deck) return;
  deck.classList.add('is-enhanced');
  var slides = Array.prototype.slice.call(deck.querySelectorAll('.slide'));
  var total = slides.length;
  var current = Number(deck.dataset.current) || 1;
  var revealed = deck.dataset.revealed === 'true';
  var presenter = deck.dataset.presenter === 'true';
  var announcer = document.getElementById('announcer');
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var busy = false;

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function slideText(slide) {
    var h = slide.querySelector('h1');
    var parts = [h ? h.textContent.trim() : ''];
    var eyebrow = slide.querySelector('.slide__eyebrow');
    if (eyebrow) parts.unshift(eyebrow.textContent.trim());
    return parts.join('. ');
  }

  function kindOf(n) { return slides[n - 1] ? slides[n - 1].dataset.kind : ''; }

  function show(n, opts) {
    if (n < 1 || n > total) return;
    if (kindOf(n) === 'winner' && !revealed) return;
    slides.forEach(function (s, i) { if (i === n - 1) s.removeAttribute('hidden'); else s.setAttribute('hidden', ''); });
    current = n;
    deck.dataset.current = String(n);
    var url = new URL(location.href);
    url.searchParams.set('slide', String(n));
    history.replaceState(null, '', url.toString());
    if (!opts || opts.announce !== false) announce(slideText(slides[n - 1]));
    if (kindOf(n) === 'live') startStream();
  }

  function post(url) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
      body: '_csrf=' + encodeURIComponent(csrf),
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  function reveal() {
    if (busy) return;
    busy = true;
    post('/ceremony/' + deck.dataset.year + '/reveal').then(function () {
      revealed = true;
      deck.dataset.revealed = 'true';
      var form = deck.querySelector('[data-reveal]');
      if (form) {
        var link = document.createElement('a');
        link.className = 'slide__link';
        link.href = '?slide=' + (current + 1);
        link.rel = 'next';
        link.dataset.go = String(current + 1);
        link.textContent = form.textContent.trim();
        form.replaceWith(link);
      }
      show(current + 1, { announce: false });
      var winner = slides[current - 1].querySelector('h1');
      announce((deck.dataset.announceWinner || '') + ' ' + (winner ? winner.textContent.trim() : ''));
    }).catch(function () {
      // Fall back to the plain form (full page) if the request failed.
      var form = deck.querySelector('[data-reveal]');
      if (form) form.submit();
    }).then(function () { busy = false; });
  }

  function next() {
    if (kindOf(current) === 'drumroll' && !revealed) {
      if (presenter) reveal();
      return;
    }
    show(current + 1);
  }

  function previous() { show(current - 1); }

  function toggleFullscreen() {
    if (document.fullscreenElement) { if (document.exitFullscreen) document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
  }

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var onControl = target && target.closest && target.closest('a, button, input, select, textarea');
    switch (event.key) {
      case 'ArrowRight':
      case 'PageDown':
        event.preventDefault(); next(); break;
      case ' ':
        if (onControl) return; // space activates the focused button or link
        event.preventDefault(); next(); break;
      case 'ArrowLeft':
      case 'PageUp':
        event.preventDefault(); previous(); break;
      case 'f':
      case 'F':
        event.preventDefault(); toggleFullscreen(); break;
      case 'Escape':
        if (document.fullscreenElement) return; // the browser leaves full screen itself
        location.href = deck.dataset.leave || '/';
        break;
      default:
    }
  });

  deck.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-go]');
    if (!link) return;
    event.preventDefault();
    show(Number(link.dataset.go));
  });

  deck.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute('data-reveal')) {
      event.preventDefault();
      reveal();
      return;
    }
    var action = form.dataset.liveAction;
    if (!action) return;
    event.preventDefault();
    post(form.action).then(function (counts) {
      render(counts);
      announce(action === 'open' ? deck.dataset.announceOpen : deck.dataset.announceClosed);
      var other = deck.querySelector('[data-live-action="' + (action === 'open' ? 'close' : 'open') + '"] button');
      if (other) other.focus();
    }).catch(function () { form.submit(); });
  });

  // ---- live chart ----
  var stream = null;
  function render(data) {
    if (!data || !data.options) return;
    var max = 1;
    data.options.forEach(function (o) { if (o.votes > max) max = o.votes; });
    data.options.forEach(function (o) {
      var row = deck.querySelector('.chart__row[data-nomination="' + o.nominationId + '"]');
      if (!row) return;
      row.querySelector('rect').setAttribute('width', String(Math.round((o.votes / max) * 100)));
      row.querySelector('.chart__count').textContent = String(o.votes);
    });
    var totalEl = document.getElementById('live-total');
    if (totalEl) totalEl.textContent = totalEl.dataset.template.replace('{count}', String(data.total));
    var box = deck.querySelector('.live-slide');
    var state = data.pollId === null ? 'none' : (data.open ? 'open' : 'closed');
    if (box && box.dataset.state !== state) {
      box.dataset.state = state;
      var status = document.getElementById('live-status');
      if (status) status.textContent = state === 'open' ? deck.dataset.announceOpen : state === 'closed' ? deck.dataset.announceClosed : status.textContent;
    }
    var openForm = deck.querySelector('[data-live-action="open"]');
    var closeForm = deck.querySelector('[data-live-action="close"]');
    if (openForm) openForm.hidden = state === 'open';
    if (closeForm) closeForm.hidden = state !== 'open';
  }

  function startStream() {
    if (stream || !window.EventSource || !deck.querySelector('.live-slide')) return;
    stream = new EventSource(deck.dataset.stream);
    stream.addEventListener('counts', function (event) {
      try { render(JSON.parse(event.data)); } catch (e) { /* ignore a malformed message */ }
    });
  }

  window.addEventListener('pagehide', function () { if (stream) stream.close(); });
  if (kindOf(current) === 'live') startStream();
})();
