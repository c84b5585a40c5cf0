// The phone vote (C7): when the vote opens or closes the page loads again by itself, a little spread
// out in time so that a full hall does not ask in the same millisecond. Reconnects after a blip.
(function () {
  'use strict';
  var root = document.getElementById('phone');
  if (!root || !window.EventSource) return;
  var source = null;
  var reloading = false;
  function connect() {
    if (source) source.close();
    source = new EventSource(root.dataset.stream);
    source.addEventListener('state', function (event) {
      try {
        var data = JSON.parse(event.data);
        var state = data.pollId === null ? 'none' : (data.open ? 'open' : 'closed');
        var poll = data.pollId === null ? '' : String(data.pollId);
        if ((state !== root.dataset.state || poll !== root.dataset.poll) && !reloading) {
          reloading = true;
          setTimeout(function () { location.reload(); }, Math.floor(Math.random() * 800));
        }
      } catch (e) { /* keep the page as it is */ }
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }
  connect();
  window.addEventListener('online', connect);
  window.addEventListener('pagehide', function () { if (source) source.close(); });
})();
