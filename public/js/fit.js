// Fitting a slide's texts to its 16:9 stage, shared by the deck (ceremony.js), the audience's screen
// (screen.js) and the presenter's previews (presenter.js). The type steps down (FIT_STEP at a time,
// through the CSS property --fit) until the body fits, to FIT_MIN of the normal size: about 17 pt on a
// PowerPoint-sized slide, the smallest body text that still reads from the back of a hall. The server
// splits a text that cannot fit even then into slides of their own (ceremony/service.ts splitText).
(function () {
  'use strict';
  var FIT_STEP = 0.04;
  var FIT_MIN = 0.64;

  function bodyOf(slide) { return slide.querySelector('.slide__body'); }

  function overflows(slide) {
    var body = bodyOf(slide);
    var box = body.getBoundingClientRect();
    if (body.scrollWidth > body.clientWidth + 1) return true;
    var els = body.querySelectorAll('*');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.getClientRects().length) continue; // not rendered (hidden)
      var r = el.getBoundingClientRect();
      if (r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.right > box.right + 1) return true;
      if (el.hasAttribute('data-flow') && el.scrollHeight > el.clientHeight + 1) return true;
    }
    return false;
  }

  function setScale(slide, scale) { bodyOf(slide).style.setProperty('--fit', String(scale)); }

  /** Steps the type down until the slide fits (or the smallest size); returns the scale it ends at. */
  function scaleToFit(slide) {
    if (!bodyOf(slide)) return 1;
    var scale = 1;
    setScale(slide, scale);
    while (scale > FIT_MIN && overflows(slide)) {
      scale = Math.max(FIT_MIN, Math.round((scale - FIT_STEP) * 100) / 100);
      setScale(slide, scale);
    }
    slide.dataset.fit = String(scale);
    return scale;
  }

  /** Fits every slide under `root` and marks what still does not fit (the line clamp comes back). */
  function fitAll(root) {
    var slides = root.querySelectorAll('.slide');
    for (var i = 0; i < slides.length; i++) {
      var slide = slides[i];
      if (!slide.getClientRects().length) continue;
      scaleToFit(slide);
      slide.classList.toggle('is-clamped', overflows(slide));
    }
  }

  window.slideFit = { overflows: overflows, setScale: setScale, scaleToFit: scaleToFit, fitAll: fitAll, FIT_MIN: FIT_MIN };
})();
