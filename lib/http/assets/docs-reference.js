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
  }, container);
})();
