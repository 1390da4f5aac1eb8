// Two more views of a SELECT result in the query UI: a timeline (vis-timeline) when a column
// holds dates, and a bar chart (plain SVG) when a column holds numbers. Texts go in as DOM text.
(function () {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"];
  var NUMBERS = ["integer", "decimal", "double", "float", "int", "long", "short",
                 "nonNegativeInteger", "positiveInteger"];
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 60;

  function kind(term) {
    if (!term || term.type !== "literal" || !term.datatype) { return ""; }
    var local = term.datatype.indexOf(XSD) === 0 ? term.datatype.slice(XSD.length) : "";
    return DATES.indexOf(local) >= 0 ? "date" : NUMBERS.indexOf(local) >= 0 ? "number" : "";
  }

  function columns(results, wanted) {
    var bindings = results.getBindings();
    return results.getVariables().filter(function (v) {
      return bindings.some(function (b) { return kind(b[v]) === wanted; });
    });
  }

  function shown(term) {  // an IRI by its last segment, a literal by its value
    if (!term) { return ""; }
    if (term.type === "uri") { return term.value.replace(/^.*[\/#]/, ""); }
    return term.value;
  }

  function firstDay(term) {  // xsd:gYear "2020" -> 2020-01-01; gYearMonth "2020-11" -> 2020-11-01
    var v = term.value;
    if (/^-?\d{4}$/.test(v)) { return v + "-01-01"; }
    if (/^\d{4}-\d{2}$/.test(v)) { return v + "-01"; }
    return v.slice(0, 10);
  }

  function caption(binding, vars, skip) {
    var parts = vars.filter(function (v) { return skip.indexOf(v) < 0 && binding[v]; })
      .map(function (v) { return shown(binding[v]); });
    return parts.slice(0, 2).join(" · ");
  }

  // A small icon of bars: [x, y, width] each, in a 16 x 16 box.
  // A bar's name: the row's first text column if it has one (a title), else its first value.
  function name(binding, vars, skip) {
    var others = vars.filter(function (v) { return v !== skip && binding[v]; });
    var text = others.find(function (v) { return binding[v].type === "literal" && !kind(binding[v]); });
    var full = shown(binding[text || others[0]]);
    return full.length > 42 ? full.slice(0, 41) + "…" : full;
  }

  function icon(bars) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "kg-plugin-icon");
    bars.forEach(function (b) {
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", b[0]);
      rect.setAttribute("y", b[1]);
      rect.setAttribute("width", b[2]);
      rect.setAttribute("height", 3);
      svg.appendChild(rect);
    });
    return svg;
  }

  function Timeline(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Timeline";
  }
  Timeline.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getBindings && typeof vis !== "undefined" &&
              columns(r, "date").length);
  };
  Timeline.prototype.getIcon = function () { return icon([[1, 2, 6], [5, 7, 9], [3, 12, 7]]); };
  Timeline.prototype.draw = function () {
    var r = this.yasr.results, vars = r.getVariables(), dates = columns(r, "date");
    var items = [];
    r.getBindings().forEach(function (b, row) {
      dates.forEach(function (v) {
        if (kind(b[v]) !== "date") { return; }
        var content = document.createElement("span");
        content.textContent = caption(b, vars, dates) || b[v].value;
        items.push({ id: row + "|" + v, group: v, start: firstDay(b[v]), content: content,
                     title: b[v].value });
      });
    });
    var box = document.createElement("div");
    box.className = "kg-result-timeline";
    this.yasr.resultsEl.appendChild(box);
    var groups = dates.map(function (v, i) { return { id: v, content: "?" + v, order: i }; });
    new vis.Timeline(box, items, groups, { stack: true, maxHeight: "32rem", zoomable: true,
                                           showCurrentTime: false, groupOrder: "order" });
  };

  function Chart(yasr) {
    this.yasr = yasr;
    this.priority = 4;
    this.label = "Chart";
  }
  Chart.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getBindings && columns(r, "number").length);
  };
  Chart.prototype.getIcon = function () { return icon([[1, 2, 14], [1, 7, 9], [1, 12, 5]]); };
  Chart.prototype.draw = function () {
    var r = this.yasr.results, vars = r.getVariables(), value = columns(r, "number")[0];
    var rows = r.getBindings().filter(function (b) { return kind(b[value]) === "number"; })
      .slice(0, MAX_BARS);
    var max = Math.max.apply(null, rows.map(function (b) { return Number(b[value].value); }).concat([0]));
    var bar = 22, labelWidth = 320, width = 900;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "kg-result-chart");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (rows.length * bar + 10));
    rows.forEach(function (b, i) {
      var n = Number(b[value].value);
      var y = i * bar + 5;
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", labelWidth - 8);
      text.setAttribute("y", y + bar / 2 + 4);
      text.setAttribute("text-anchor", "end");
      text.textContent = name(b, vars, value) || String(i + 1);
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", labelWidth);
      rect.setAttribute("y", y + 3);
      rect.setAttribute("height", bar - 6);
      rect.setAttribute("width", max > 0 ? Math.max(1, (width - labelWidth - 80) * n / max) : 1);
      var figure = document.createElementNS(SVG, "text");
      figure.setAttribute("x", labelWidth + (max > 0 ? (width - labelWidth - 80) * n / max : 0) + 6);
      figure.setAttribute("y", y + bar / 2 + 4);
      figure.textContent = b[value].value;
      svg.appendChild(text);
      svg.appendChild(rect);
      svg.appendChild(figure);
    });
    var caption_ = document.createElement("p");
    caption_.className = "kg-chart-caption";
    caption_.textContent = "?" + value + (rows.length === MAX_BARS ? " (the first " + MAX_BARS + " rows)" : "");
    this.yasr.resultsEl.appendChild(caption_);
    this.yasr.resultsEl.appendChild(svg);
  };

  Yasgui.Yasr.registerPlugin("timeline", Timeline);
  Yasgui.Yasr.registerPlugin("chart", Chart);
})();
