// Edition settings (R1): marks each section that has unsaved changes, in the section list and beside the
// section's heading, and says which ones in the save bar. The page works without this file.
(function () {
  'use strict';
  var form = document.querySelector('[data-edition-form]');
  if (!form) return;
  var status = form.querySelector('[data-unsaved-summary]');
  var initial = new Map();
  var fields = form.querySelectorAll('input, textarea, select');
  var valueOf = function (el) { return el.type === 'checkbox' || el.type === 'radio' ? String(el.checked) : el.value; };
  fields.forEach(function (el) { initial.set(el, valueOf(el)); });

  var sectionName = function (section) {
    var heading = section.querySelector('h2');
    var clone = heading.cloneNode(true);
    clone.querySelectorAll('.section-mark').forEach(function (m) { m.remove(); });
    return clone.textContent.trim();
  };

  function update() {
    var changed = [];
    form.querySelectorAll('[data-section]').forEach(function (section) {
      var dirty = false;
      section.querySelectorAll('input, textarea, select').forEach(function (el) {
        if (initial.has(el) && initial.get(el) !== valueOf(el)) dirty = true;
      });
      var name = section.getAttribute('data-section');
      var marks = [section.querySelector('h2 [data-unsaved-mark]'), document.querySelector('[data-section-link="' + name + '"] [data-unsaved-mark]')];
      marks.forEach(function (m) { if (m) m.hidden = !dirty; });
      if (dirty) changed.push(sectionName(section));
    });
    if (!status) return;
    var text = changed.length ? form.getAttribute('data-unsaved-text').replace('{sections}', changed.join(', ')) : null;
    if (text && status.textContent !== text) status.textContent = text;
    if (!text && form.dataset.touched) status.textContent = form.getAttribute('data-saved-text');
    form.dataset.touched = 'true';
  }

  form.addEventListener('input', update);
  form.addEventListener('change', update);
  // Leaving the page with unsaved changes asks first (not when the form itself is being sent).
  var sending = false;
  form.addEventListener('submit', function () { sending = true; });
  window.addEventListener('beforeunload', function (event) {
    if (sending) return;
    var dirty = Array.prototype.some.call(fields, function (el) { return initial.get(el) !== valueOf(el); });
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });
})();
