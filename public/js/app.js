// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // Move focus to an error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

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
