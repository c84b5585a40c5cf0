// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // Move focus to an error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

  // Phone-first header: on a narrow screen the main menu folds behind a button. Without this script
  // the button stays hidden and the menu stays open.
  var toggle = document.querySelector('[data-menu-toggle]');
  var menu = toggle && document.getElementById(toggle.getAttribute('aria-controls'));
  if (toggle && menu) {
    var narrow = window.matchMedia('(max-width: 40rem)');
    var setOpen = function (open) {
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      menu.classList.toggle('is-folded', !open);
    };
    var follow = function () {
      toggle.hidden = !narrow.matches;
      setOpen(!narrow.matches);
    };
    toggle.addEventListener('click', function () { setOpen(toggle.getAttribute('aria-expanded') !== 'true'); });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && narrow.matches && toggle.getAttribute('aria-expanded') === 'true') { setOpen(false); toggle.focus(); }
    });
    if (narrow.addEventListener) narrow.addEventListener('change', follow);
    follow();
  }

  // A page restored from the back/forward cache gets its buttons back.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-submitted]').forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll('[disabled]').forEach(function (b) { b.removeAttribute('disabled'); });
    });
  });

  // Prevent double submits: disable a form's submit buttons once it is sent.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute('data-allow-resubmit')) return;
    if (form.dataset.submitted === 'true') { event.preventDefault(); return; }
    form.dataset.submitted = 'true';
    setTimeout(function () {
      form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach(function (b) { b.setAttribute('disabled', ''); });
    }, 0);
  });
})();
