// The query UI: one YASGUI tab per example query, all pointed at this server's /sparql. The
// editor knows the prefixes the endpoint predeclares (kg:, wd:, schema:, ...), completes the
// project's prefixes and the ontology's terms offline, opens a shared link's query, and sends
// result IRIs of this dataset to this host's pages.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-query-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var Yasqe = Yasgui.Yasqe;

  // Predeclared prefixes: the editor's checker starts from them, as the endpoint does.
  var CodeMirror = Object.getPrototypeOf(Yasqe);
  var sparql11 = CodeMirror.modes.sparql11;
  CodeMirror.defineMode("sparql11", function (cmConfig, modeConfig) {
    var mode = sparql11(cmConfig, modeConfig);
    var start = mode.startState;
    mode.startState = function () {
      var state = start.apply(mode, arguments);
      Object.keys(config.predeclared).forEach(function (p) {
        state.prefixes[p] = config.predeclared[p];
      });
      return state;
    };
    return mode;
  });

  // Offline completion: no prefix.cc or LOV look-ups, only this project's vocabulary.
  var prefixes = Object.assign({}, Yasqe.Autocompleters.prefixes, {
    persistenceId: null,
    get: function () {
      return Object.keys(config.prefixes).sort().map(function (p) {
        return p + ": <" + config.prefixes[p] + ">";
      });
    },
  });
  var terms = config.terms.classes.concat(config.terms.properties);
  var vocabulary = {
    name: "vocabulary", bulk: true, autoShow: true, persistenceId: null,
    get: function () { return terms; },
    isValidCompletionPosition: function (yasqe) {
      var token = yasqe.getCompleteToken();
      return /^[A-Za-z][\w-]*:/.test(token.string) &&
             !/^\s*PREFIX\b/i.test(yasqe.getDoc().getLine(yasqe.getDoc().getCursor().line));
    },
  };
  Yasqe.Autocompleters.prefixes = prefixes;
  Yasqe.Autocompleters.vocabulary = vocabulary;
  Yasqe.defaults.autocompleters = ["variables", "prefixes", "vocabulary"];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    yasr: { pluginOrder: ["table", "timeline", "chart", "response"], defaultPlugin: "table" },
  });

  // A shared link (YASGUI's: the tab's settings after "#") opens its query in a tab of its own.
  var shared = new URLSearchParams(window.location.hash.slice(1) || window.location.search);
  var sharedQuery = shared.get("query");
  if (sharedQuery) {
    yasgui.addTab(true, {
      name: shared.get("tabTitle") || "Shared query",
      yasqe: { value: sharedQuery },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  }
  // Otherwise the first example is the active tab (YASGUI's selectTabId needs a current tab).
  config.examples.forEach(function (example, i) {
    yasgui.addTab(!sharedQuery && i === 0, {
      name: example.name,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  });
  if (!sharedQuery && config.examples.length === 0) {
    yasgui.addTab(true, { requestConfig: { endpoint: endpoint, method: "POST" } });
  }

  // Result IRIs of this dataset open here (the table is redrawn on paging and sorting: watch it).
  var site = new URL(config.site, window.location.href).href;
  function localise(root) {
    root.querySelectorAll("a[href^='" + config.base + "']").forEach(function (a) {
      a.href = site + a.getAttribute("href").slice(config.base.length);
      a.removeAttribute("target");
    });
  }
  var box = document.getElementById("yasgui");
  new MutationObserver(function () { localise(box); })
    .observe(box, { childList: true, subtree: true });

  window.kgYasgui = yasgui;
})();
