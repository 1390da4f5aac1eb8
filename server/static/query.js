// The query UI: one YASGUI tab per example query, all pointed at this server's /sparql.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-query-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  // Offline: no prefix.cc or LOV look-ups while typing, only variable names.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
  });
  // The first tab is added active (YASGUI's selectTabId needs a current tab to switch from).
  config.examples.forEach(function (example, i) {
    yasgui.addTab(i === 0, {
      name: example.name,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  });
  if (config.examples.length === 0) {
    yasgui.addTab(true, { requestConfig: { endpoint: endpoint, method: "POST" } });
  }
  window.kgYasgui = yasgui;
})();
