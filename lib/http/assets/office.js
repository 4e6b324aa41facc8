// The back office without this file works: actions then confirm on a page of their own, and a reload shows new payments.
(function () {
  'use strict';

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
  if (!note || !rows || !window.EventSource) return;
  var opened = false;
  var source = new EventSource(note.dataset.live);
  source.addEventListener('payment', function (event) {
    var data = JSON.parse(event.data);
    var template = document.createElement('template');
    template.innerHTML = data.html.trim();
    var row = template.content.firstElementChild;
    var existing = rows.querySelector('tr[data-payment-id="' + data.id + '"]');
    if (existing) existing.replaceWith(row);
    else rows.insertBefore(row, rows.firstElementChild);
    var empty = document.getElementById('journal-empty');
    if (empty) empty.remove();
  });
  // after a restart of the service the stream reconnects by itself; what changed meanwhile is fetched once
  source.addEventListener('open', function () {
    if (opened) {
      fetch(window.location.href, { credentials: 'same-origin' }).then(function (res) { return res.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live-rows]');
        if (fresh) rows.innerHTML = fresh.innerHTML;
      });
    }
    opened = true;
  });
})();
