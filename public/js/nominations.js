// Nomination form enhancements; the form works fully without this file.
(function () {
  'use strict';
  // Choosing a colleague from the list empties the typed name and e-mail of the same row (one or the other).
  document.querySelectorAll('select[data-colleague-select]').forEach(function (select) {
    select.addEventListener('change', function () {
      if (!select.value) return;
      var row = select.closest('.colleague');
      if (!row) return;
      row.querySelectorAll('input[type="text"], input[type="email"]').forEach(function (input) { input.value = ''; });
    });
  });
})();
