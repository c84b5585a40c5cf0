// Nomination form enhancements; the form works fully without this file.
(function () {
  'use strict';
  var rows = document.querySelectorAll('.colleague');

  // Choosing a colleague from the list empties the typed name and e-mail of the same row (one or the other).
  document.querySelectorAll('select[data-colleague-select]').forEach(function (select) {
    select.addEventListener('change', function () {
      if (!select.value) return;
      var row = select.closest('.colleague');
      if (!row) return;
      row.querySelectorAll('input[type="text"], input[type="email"]').forEach(function (input) { input.value = ''; });
    });
  });

  // Suggestions while typing in the e-mail field: colleagues whose name or address matches.
  rows.forEach(function (row, index) {
    var email = row.querySelector('input[type="email"]');
    var name = row.querySelector('input[type="text"]');
    if (!email || !window.fetch) return;
    var list = document.createElement('datalist');
    list.id = 'colleague-suggestions-' + index;
    row.appendChild(list);
    email.setAttribute('list', list.id);
    var timer = null;
    var found = [];
    email.addEventListener('input', function () {
      var match = found.filter(function (c) { return c.email === email.value; })[0];
      if (match && name && !name.value) name.value = match.name;
      clearTimeout(timer);
      var q = email.value.trim();
      if (q.length < 2 || match) return;
      timer = setTimeout(function () {
        fetch('/nominations/colleagues?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : { colleagues: [] }; })
          .then(function (data) {
            found = data.colleagues || [];
            list.textContent = '';
            found.forEach(function (c) {
              var option = document.createElement('option');
              option.value = c.email;
              option.label = c.department ? c.name + ' (' + c.department + ')' : c.name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are only a help */ });
      }, 250);
    });
  });
})();
