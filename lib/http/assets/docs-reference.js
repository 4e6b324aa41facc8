// Renders the OpenAPI document named by the container's data-spec-url with Redoc (served from /assets).
(function () {
  var container = document.getElementById('reference');
  if (!container || !window.Redoc) return;
  window.Redoc.init(container.getAttribute('data-spec-url'), {
    disableSearch: true,
    hideDownloadButton: false,
    expandResponses: '200,201',
    jsonSampleExpandLevel: 2,
    theme: { typography: { fontFamily: 'system-ui, sans-serif', headings: { fontFamily: 'system-ui, sans-serif' } } },
  }, container, focusableSamples);

  // A code sample wider than its box scrolls; with no link inside, only a tab stop lets a keyboard scroll it (WCAG 2.1.1).
  function focusableSamples() {
    var pending = false;
    var mark = function () {
      pending = false;
      var samples = container.querySelectorAll('pre:not([tabindex])');
      for (var i = 0; i < samples.length; i++) {
        var pre = samples[i];
        if (pre.scrollWidth <= pre.clientWidth && pre.scrollHeight <= pre.clientHeight) continue;
        if (pre.querySelector('a, button, input, [tabindex]')) continue;
        pre.setAttribute('tabindex', '0');
        pre.setAttribute('role', 'region');
        pre.setAttribute('aria-label', 'Code sample (scrolls)');
      }
    };
    mark();
    // Redoc renders a sample when its section opens
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      setTimeout(mark, 200);
    }).observe(container, { childList: true, subtree: true });
  }
})();
