// The audience's view (C6): shows the slide the server says is on, black when the presenter blanks the
// screen, and the chart's numbers as votes arrive. After a network blip it reconnects by itself and the
// server sends the current slide at once, so the projector never stays on a stale slide or an error.
(function () {
  'use strict';
  var root = document.getElementById('screen');
  var stage = document.getElementById('stage');
  if (!root || !stage) return;
  var announcer = document.getElementById('announcer');
  var fitting = window.slideFit;
  root.classList.add('is-enhanced');
  function fit() { if (fitting) fitting.fitAll(stage); }
  var lastCounts = null;
  var source = null;
  var retry = null;
  var shownHtml = null;

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = '';
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function slideText() {
    var slide = stage.querySelector('.slide');
    if (!slide) return '';
    if (slide.dataset.announce) return slide.dataset.announce;
    var h = slide.querySelector('h1');
    return h ? h.textContent.trim() : '';
  }

  function showSlide(data) {
    document.body.classList.toggle('is-black', Boolean(data.black));
    if (data.html === shownHtml) return;
    var moved = data.key !== root.dataset.key;
    root.dataset.key = data.key;
    shownHtml = data.html;
    stage.innerHTML = data.html;
    fit();
    if (lastCounts) renderCounts(lastCounts);
    if (moved) announce(slideText());
  }

  function renderCounts(data) {
    lastCounts = data;
    var box = stage.querySelector('.live-slide');
    if (!box || !data) return;
    var max = 1;
    data.options.forEach(function (o) { if (o.votes > max) max = o.votes; });
    var template = box.dataset.splitTemplate || '';
    data.options.forEach(function (o) {
      var row = box.querySelector('.chart__row[data-nomination="' + o.nominationId + '"]');
      if (!row) return;
      row.querySelector('rect').setAttribute('width', String(Math.round((o.votes / max) * 100)));
      row.querySelector('.chart__count').textContent = String(o.votes);
      var split = row.querySelector('.chart__split');
      if (split) {
        split.hidden = !data.split;
        split.textContent = data.split ? template.replace('{employee}', String(o.employee)).replace('{room}', String(o.room)) : '';
      }
    });
    var chart = box.querySelector('.chart');
    if (chart) chart.classList.toggle('chart--hidden', Boolean(data.hidden));
    var note = box.querySelector('.live-slide__hidden-note');
    if (note) note.hidden = !data.hidden;
    var total = box.querySelector('.live-slide__total');
    if (total) total.textContent = total.dataset.template.replace('{count}', String(data.total));
    var state = data.pollId === null ? 'none' : (data.open ? 'open' : 'closed');
    var status = box.querySelector('[data-live-status]');
    if (status && status.dataset[state]) status.textContent = status.dataset[state];
  }

  function connect() {
    if (!window.EventSource) return;
    if (retry) { clearTimeout(retry); retry = null; }
    if (source) source.close();
    source = new EventSource(root.dataset.stream);
    source.addEventListener('slide', function (event) {
      try { showSlide(JSON.parse(event.data)); } catch (e) { /* keep the slide on screen */ }
    });
    source.addEventListener('counts', function (event) {
      try { renderCounts(JSON.parse(event.data)); } catch (e) { /* keep the numbers on screen */ }
    });
    // The browser retries a dropped stream itself; one the server refused (a 502 during a restart) is
    // closed for good, so try again a moment later. The slide on screen stays until then.
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED && !retry) retry = setTimeout(connect, 2000);
    };
  }

  connect();
  fit();
  window.addEventListener('resize', fit);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
  window.addEventListener('online', connect);
  window.addEventListener('pagehide', function () { if (source) source.close(); });
})();
