// The self-paced deck (C1): keyboard control, the live chart (C2) over server-sent events, and long
// texts fitted to the stage. Without this file every slide is still reachable with ?slide=N links (and
// long texts get the server's smaller type and a line clamp). The show itself runs from the presenter's
// view (presenter.js); this deck never reveals anything.
(function () {
  'use strict';
  var deck = document.getElementById('deck');
  if (!deck) return;
  deck.classList.add('is-enhanced');
  var slides = Array.prototype.slice.call(deck.querySelectorAll('.deck__slide'));
  var total = slides.length;
  var current = Number(deck.dataset.current) || 1;
  var last = Number(deck.dataset.last) || total;
  var announcer = document.getElementById('announcer');

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

  // ---- long texts: fit the stage ----
  // After a slide is shown (and on resize or full screen) its type steps down in small steps until the
  // body fits the stage, to FIT_MIN of the normal size: about 17 pt on a PowerPoint-sized slide, the
  // smallest body text that still reads from the back of a hall. A lesson or citation that does not fit
  // even then is split into parts at sentence ends; → shows the next part before the next slide. Only a
  // part that cannot fit one word gets the line clamp back (is-clamped).
  var fitting = window.slideFit;
  function bodyOf(slide) { return slide.querySelector('.slide__body'); }
  function overflows(slide) { return fitting.overflows(slide); }

  function stateOf(slide) {
    var st = fitState.get(slide);
    if (!st) {
      var flows = Array.prototype.slice.call(slide.querySelectorAll('[data-flow]'));
      var offset = 0;
      st = {
        blocks: flows.map(function (el) {
          var words = el.textContent.trim().split(/\s+/).filter(Boolean);
          var b = { el: el, box: el.closest('[data-flow-block]') || el, text: el.textContent, words: words, from: offset };
          offset += words.length;
          return b;
        }),
        count: offset,
        starts: null,
        part: 0,
      };
      fitState.set(slide, st);
    }
    return st;
  }

  // Shows the words [from, to) of the slide's texts; a block with none of them is hidden.
  function renderRange(st, from, to) {
    st.blocks.forEach(function (b) {
      var a = Math.max(from, b.from) - b.from;
      var z = Math.min(to, b.from + b.words.length) - b.from;
      if (z <= a) { b.box.hidden = true; return; }
      b.box.hidden = false;
      b.el.textContent = (a > 0 ? '… ' : '') + b.words.slice(a, z).join(' ') + (z < b.words.length ? ' …' : '');
    });
  }

  function restore(st) {
    st.blocks.forEach(function (b) { b.box.hidden = false; b.el.textContent = b.text; });
  }

  // The largest end (exclusive) after `from` that fits, pulled back to a sentence end when one is near.
  function partEnd(slide, st, from) {
    renderRange(st, from, st.count);
    if (!overflows(slide)) return st.count;
    var lo = from + 1;
    var hi = st.count - 1;
    var best = from + 1; // at least one word, so the parts always move on
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      renderRange(st, from, mid);
      if (overflows(slide)) hi = mid - 1; else { best = mid; lo = mid + 1; }
    }
    var floor = from + Math.ceil((best - from) * 0.6);
    for (var end = best; end > floor; end--) {
      var b = blockAt(st, end - 1);
      var word = b.words[end - 1 - b.from];
      if (end === b.from + b.words.length || /[.!?…:;]["”»)]?$/.test(word)) return end;
    }
    return best;
  }

  function blockAt(st, index) {
    for (var i = st.blocks.length - 1; i >= 0; i--) if (index >= st.blocks[i].from) return st.blocks[i];
    return st.blocks[0];
  }

  function countLabel(slide, st) {
    var count = slide.querySelector('.deck__count');
    if (!count) return;
    if (count.dataset.text === undefined) count.dataset.text = count.textContent;
    count.textContent = count.dataset.text + (st.starts && st.starts.length > 1 ? ' · ' + partText(st) : '');
  }

  function partText(st) {
    return (deck.dataset.partOf || '').replace('{n}', String(st.part + 1)).replace('{total}', String(st.starts.length));
  }

  function showPart(slide, st, part) {
    st.part = part;
    renderRange(st, st.starts[part], part + 1 < st.starts.length ? st.starts[part + 1] : st.count);
    slide.classList.toggle('is-clamped', overflows(slide));
    countLabel(slide, st);
    nextPartButton(slide, st);
  }

  // The last slide has no Next link; while its text has more parts, a button shows the next one.
  function nextPartButton(slide, st) {
    var button = slide.querySelector('[data-next-part]');
    var wanted = Boolean(st.starts) && st.part + 1 < st.starts.length && !slide.querySelector('.deck__nav a[rel="next"]');
    if (!button && !wanted) return;
    if (!button) {
      button = document.createElement('button');
      button.type = 'button';
      button.className = 'deck__link slide__part-next';
      button.setAttribute('data-next-part', '');
      button.textContent = deck.dataset.nextPart || '';
      var leave = slide.querySelector('[data-leave]');
      leave.parentNode.insertBefore(button, leave);
    }
    if (!wanted && button === document.activeElement) slide.querySelector('[data-leave]').focus();
    button.hidden = !wanted;
  }

  /** `where`: 'first' or 'last' part, or 'keep' the part that holds the words shown now (on resize). */
  function fit(slide, where) {
    if (!bodyOf(slide) || slide.hidden) return;
    var st = stateOf(slide);
    var firstWord = where === 'keep' && st.starts ? st.starts[st.part] : 0;
    slide.classList.remove('is-clamped');
    restore(st);
    st.starts = null;
    st.part = 0;
    var scale = fitting.scaleToFit(slide);
    if (overflows(slide) && st.count > 0) {
      // Splitting helps only if the rest of the slide leaves room for some text.
      renderRange(st, 0, 1);
      if (overflows(slide)) {
        restore(st);
        slide.classList.add('is-clamped');
        countLabel(slide, st);
        slide.dataset.fit = String(scale);
        return;
      }
      st.starts = [0];
      for (var from = partEnd(slide, st, 0); from < st.count; from = partEnd(slide, st, from)) st.starts.push(from);
      var part = where === 'last' ? st.starts.length - 1 : 0;
      if (where === 'keep') while (part + 1 < st.starts.length && st.starts[part + 1] <= firstWord) part++;
      showPart(slide, st, part);
    } else {
      slide.classList.toggle('is-clamped', overflows(slide));
      countLabel(slide, st);
      nextPartButton(slide, st);
    }
    slide.dataset.fit = String(scale);
  }

  /** Moves to the next (+1) or previous (-1) part of the current slide's text; false at either end. */
  function stepPart(delta) {
    var slide = slides[current - 1];
    var st = fitState.get(slide);
    if (!st || !st.starts) return false;
    var part = st.part + delta;
    if (part < 0 || part >= st.starts.length) return false;
    showPart(slide, st, part);
    announce(partText(st));
    return true;
  }

  function show(n, opts) {
    if (n < 1 || n > total) return;
    if (n > last) return;
    slides.forEach(function (s, i) { if (i === n - 1) s.removeAttribute('hidden'); else s.setAttribute('hidden', ''); });
    fit(slides[n - 1], opts && opts.part === 'last' ? 'last' : 'first');
    current = n;
    deck.dataset.current = String(n);
    var url = new URL(location.href);
    url.searchParams.set('slide', String(n));
    history.replaceState(null, '', url.toString());
    if (!opts || opts.announce !== false) announce(slideText(slides[n - 1]));
    if (kindOf(n) === 'live') startStream();
  }

  function next() {
    if (stepPart(1)) return;
    show(current + 1);
  }

  function previous() { if (!stepPart(-1)) show(current - 1, { part: 'last' }); }

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
    if (event.target.closest && event.target.closest('[data-next-part]')) { stepPart(1); return; }
    var link = event.target.closest && event.target.closest('a[data-go]');
    if (!link) return;
    event.preventDefault();
    // The slide's own Next and Previous links walk through the parts of a split text first.
    if (link.rel === 'next' && Number(link.dataset.go) === current + 1) next();
    else if (link.rel === 'prev' && Number(link.dataset.go) === current - 1) previous();
    else show(Number(link.dataset.go));
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
    var totalEl = deck.querySelector('.live-slide__total');
    if (totalEl) totalEl.textContent = totalEl.dataset.template.replace('{count}', String(data.total));
    var box = deck.querySelector('.live-slide');
    var state = data.pollId === null ? 'none' : (data.open ? 'open' : 'closed');
    if (box && box.dataset.state !== state) {
      box.dataset.state = state;
      var status = deck.querySelector('[data-live-status]');
      if (status) status.textContent = status.dataset[state] || status.textContent;
    }
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

  // Fit again when the stage changes size (window, full screen) and once the fonts are there.
  var refitQueued = false;
  function refit() {
    if (refitQueued) return;
    refitQueued = true;
    requestAnimationFrame(function () { refitQueued = false; fit(slides[current - 1], 'keep'); });
  }
  window.addEventListener('resize', refit);
  document.addEventListener('fullscreenchange', refit);
  fit(slides[current - 1], 'first');
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(refit);
})();
