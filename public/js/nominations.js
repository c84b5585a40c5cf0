// Nomination form enhancements; the form works fully without this file.
(function () {
  'use strict';
  var rows = document.querySelectorAll('.colleague');

  // Choosing a colleague from the list empties the typed name and e-mail of the same row (one or the other).
  // Delegated, so rows added below behave the same.
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute('data-colleague-select') || !select.value) return;
    var row = select.closest('.colleague');
    if (!row) return;
    row.querySelectorAll('input[type="text"], input[type="email"]').forEach(function (input) { input.value = ''; });
  });

  // "+ Lägg till kollega": a new empty row appears in place (without JavaScript the button sends the form
  // back with one more row, and nothing is stored).
  var add = document.querySelector('[data-add-colleague]');
  var slots = document.querySelector('input[name="colleague_slots"]');
  if (add && slots) {
    add.addEventListener('click', function (event) {
      var all = document.querySelectorAll('.colleague');
      var last = all[all.length - 1];
      if (!last) return;
      event.preventDefault();
      var index = all.length;
      var row = last.cloneNode(true);
      row.querySelectorAll('[id], [name], [for], [aria-describedby]').forEach(function (el) {
        ['id', 'name', 'for', 'aria-describedby'].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/c\d+_/g, 'c' + index + '_'));
        });
      });
      row.querySelectorAll('.field__error, datalist').forEach(function (el) { el.remove(); });
      row.querySelectorAll('.field--error').forEach(function (el) { el.classList.remove('field--error'); });
      row.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
      row.querySelectorAll('input').forEach(function (el) { if (el.type !== 'hidden') el.value = ''; else el.remove(); });
      row.querySelectorAll('select').forEach(function (el) { el.selectedIndex = 0; });
      var legend = row.querySelector('legend');
      if (legend) legend.textContent = legend.textContent.replace(/\d+\s*$/, String(index + 1));
      last.parentNode.insertBefore(row, last.nextSibling);
      slots.value = String(index + 1);
      if (index + 1 >= Number(add.getAttribute('data-max'))) add.hidden = true;
      var first = row.querySelector('select, input');
      if (first) first.focus();
    });
  }

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
