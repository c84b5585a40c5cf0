// Voting without a page reload (SPEC V2): the vote, withdraw and move forms are posted with fetch; on
// success the panel and the vote controls are fetched again from the same page and swapped in, and the
// result is announced in a live region. Without this file the same forms work with a full page load.
(function () {
  'use strict';
  if (window.__votingEnhanced) return;
  window.__votingEnhanced = true;

  var busy = false;

  function liveRegion() {
    var region = document.getElementById('vote-live');
    if (!region) {
      region = document.createElement('div');
      region.id = 'vote-live';
      region.className = 'visually-hidden';
      region.setAttribute('role', 'status');
      region.setAttribute('aria-live', 'polite');
      document.body.appendChild(region);
    }
    return region;
  }
  liveRegion();

  function announce(text) {
    var region = liveRegion();
    region.textContent = '';
    // A short pause makes screen readers notice the same text twice in a row.
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function csrfToken(form) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var field = form.querySelector('input[name="_csrf"]');
    return (meta && meta.getAttribute('content')) || (field && field.value) || '';
  }

  function entryIdOf(form) {
    var box = form.closest('[data-vote-for]');
    if (box) return box.getAttribute('data-vote-for');
    var field = form.querySelector('input[name="to"], input[name="entry"]');
    return field ? field.value : null;
  }

  function showFeedback(entryId, text, isError) {
    document.querySelectorAll('.vote__feedback').forEach(function (el) { el.remove(); });
    var box = entryId ? document.querySelector('[data-vote-for="' + entryId + '"]') : null;
    if (!box) box = document.querySelector('[data-voting-panel]');
    if (!box) return;
    var p = document.createElement('p');
    p.className = 'vote__feedback' + (isError ? ' vote__feedback--error' : '');
    p.textContent = text;
    box.appendChild(p);
  }

  /** Fetches this page again and swaps in the fresh panel and vote controls. */
  function refresh() {
    return fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var oldPanels = document.querySelectorAll('[data-voting-panel]');
        var newPanels = doc.querySelectorAll('[data-voting-panel]');
        oldPanels.forEach(function (el, i) { if (newPanels[i]) el.replaceWith(document.importNode(newPanels[i], true)); });
        document.querySelectorAll('[data-vote-for]').forEach(function (el) {
          var fresh = doc.querySelector('[data-vote-for="' + el.getAttribute('data-vote-for') + '"]');
          if (fresh) el.replaceWith(document.importNode(fresh, true));
          else el.remove();
        });
      });
  }

  function restoreFocus(entryId, fromPanel) {
    var target = null;
    if (!fromPanel && entryId) {
      var box = document.querySelector('[data-vote-for="' + entryId + '"]');
      if (box) target = box.querySelector('button, select');
    }
    if (!target) {
      var heading = document.querySelector('[data-voting-panel] h2');
      if (heading) { heading.setAttribute('tabindex', '-1'); target = heading; }
    }
    if (target) target.focus();
  }

  // "Flytta min röst": the move page's form, shown in a dialog over the gallery. The link still works as
  // a page of its own when anything here fails.
  function openMoveDialog(link) {
    return fetch(link.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { if (!res.ok) throw new Error('move page'); return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var content = doc.querySelector('.move-vote');
        if (!content || typeof HTMLDialogElement === 'undefined') throw new Error('no dialog');
        var dialog = document.createElement('dialog');
        dialog.className = 'move-dialog';
        dialog.setAttribute('aria-labelledby', 'move-title');
        dialog.appendChild(document.importNode(content, true));
        var heading = dialog.querySelector('h1');
        if (heading) {
          var h2 = document.createElement('h2');
          h2.id = heading.id;
          h2.textContent = heading.textContent;
          heading.replaceWith(h2);
        }
        dialog.addEventListener('close', function () { dialog.remove(); link.focus(); });
        dialog.addEventListener('click', function (event) {
          if (event.target instanceof Element && event.target.closest('[data-move-cancel]')) { event.preventDefault(); dialog.close(); }
        });
        document.body.appendChild(dialog);
        dialog.showModal();
        var first = dialog.querySelector('input[type="radio"]');
        if (first) first.focus();
      });
  }

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[data-move-dialog]') : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    openMoveDialog(link).catch(function () { window.location.href = link.href; });
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-vote-form')) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var entryId = entryIdOf(form);
    var fromPanel = Boolean(form.closest('[data-voting-panel]'));
    var dialog = form.closest('dialog');
    var closeDialog = function () { if (dialog && dialog.open) dialog.close(); };
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.setAttribute('aria-disabled', 'true'); });
    var body = new URLSearchParams(new FormData(form));
    body.delete('_csrf');
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrfToken(form) },
      body: body.toString(),
    })
      .then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; }, function () { return { ok: false, data: {} }; });
      })
      .then(function (result) {
        if (!result.ok) {
          var text = result.data.error || 'Error';
          buttons.forEach(function (b) { b.removeAttribute('aria-disabled'); });
          showFeedback(entryId, text, true);
          announce(text);
          closeDialog();
          return refresh().then(function () { restoreFocus(entryId, fromPanel); showFeedback(entryId, text, true); });
        }
        closeDialog();
        return refresh().then(function () {
          restoreFocus(entryId, fromPanel);
          showFeedback(fromPanel ? null : entryId, result.data.message, false);
          announce(result.data.message);
        });
      })
      .catch(function () {
        buttons.forEach(function (b) { b.removeAttribute('aria-disabled'); });
        var text = (document.querySelector('[data-vote-network-error]') || {}).textContent || 'Network error';
        showFeedback(entryId, text, true);
        announce(text);
      })
      .then(function () { busy = false; });
  });
})();
