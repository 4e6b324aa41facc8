// The back office without this file works: actions then confirm on a page of their own, and a reload shows new payments.
(function () {
  'use strict';

  // times come written in UTC; the browser's local time is shown, the UTC text kept on hover
  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var at = new Date(el.getAttribute('datetime'));
      if (isNaN(at.getTime()) || el.dataset.local) return;
      el.title = el.textContent;
      el.dataset.local = '1';
      el.textContent = at.toLocaleString(document.documentElement.lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    });
  }
  localTimes(document);
  // the live journal's rows are announced to screen readers in this polite region
  function announce(row, changed) {
    var region = document.getElementById('live-announce');
    if (!region || !row) return;
    var cells = row.querySelectorAll('td');
    var words = [changed ? region.dataset.changed : region.dataset.added];
    [2, 3].forEach(function (i) { if (cells[i]) words.push(cells[i].textContent.trim()); });
    region.textContent = words.join(' ');
  }

  // confirmation before an action: a dialog here, instead of the confirmation page
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    var amount = form.elements.namedItem('amount');
    var text = amount && amount.value === '' && form.dataset.confirmEmpty ? form.dataset.confirmEmpty : form.dataset.confirm.replace('{amount}', amount ? amount.value : '');
    if (!window.confirm(text)) {
      event.preventDefault();
      return;
    }
    if (!form.elements.namedItem('confirmed')) {
      var confirmed = document.createElement('input');
      confirmed.type = 'hidden';
      confirmed.name = 'confirmed';
      confirmed.value = '1';
      form.appendChild(confirmed);
    }
  });

  // the live journal: rows of new and changed payments arrive as server-sent events
  var note = document.getElementById('live-note');
  var rows = document.querySelector('[data-live-rows]');
  // the console's overview: its figures are read again (at most once a second) when a payment changes
  var metrics = document.querySelector('[data-live-metrics]');
  if (!note || !(rows || metrics) || !window.EventSource) return;
  var opened = false;
  var refreshing = null;
  function refreshMetrics() {
    if (refreshing) return;
    refreshing = setTimeout(function () {
      fetch(window.location.href, { credentials: 'same-origin' }).then(function (res) { return res.text(); }).then(function (html) {
        refreshing = null;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live-metrics]');
        if (fresh) metrics.innerHTML = fresh.innerHTML;
      }, function () { refreshing = null; });
    }, 1000);
  }
  var source = new EventSource(note.dataset.live);
  source.addEventListener('payment', function (event) {
    if (metrics) refreshMetrics();
    if (!rows) return;
    var data = JSON.parse(event.data);
    var template = document.createElement('template');
    template.innerHTML = data.html.trim();
    var row = template.content.firstElementChild;
    localTimes(template.content);
    var existing = rows.querySelector('tr[data-payment-id="' + data.id + '"]');
    announce(row, Boolean(existing));
    if (existing) existing.replaceWith(row);
    // a filtered list (data-live-rows="update") keeps its rows up to date but takes no new ones
    else if (rows.dataset.liveRows !== 'update') rows.insertBefore(row, rows.firstElementChild);
    else return;
    var empty = document.getElementById('journal-empty');
    if (empty) empty.remove();
  });
  // after a restart of the service the stream reconnects by itself; what changed meanwhile is fetched once
  source.addEventListener('open', function () {
    if (opened && metrics) refreshMetrics();
    if (opened && rows) {
      fetch(window.location.href, { credentials: 'same-origin' }).then(function (res) { return res.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live-rows]');
        if (fresh) rows.innerHTML = fresh.innerHTML;
        localTimes(rows);
      });
    }
    opened = true;
  });
})();
