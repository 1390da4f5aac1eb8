// The timeline (vis-timeline): one row per dated fact, one item per claim, coloured by source.
// The page's data is inline (#kg-timeline-data) or fetched from data-src; filters by source and
// by who took part. Texts go in as DOM text, never as HTML.
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function toVis(data, sourceClass) {
    var items = data.items.map(function (it) {
      var content = el("span", (it.open === "start" ? "… " : "") + it.content +
                               (it.open === "end" ? " …" : ""));
      return {
        id: it.id, group: it.group, start: it.start, end: it.end || undefined,
        type: it.end ? "range" : "point", content: content, title: it.title,
        className: sourceClass[it.source] + (it.open ? " open-" + it.open : ""),
        kg: it,
      };
    });
    var groups = data.groups.map(function (g) {
      var label = el("div", null, "group-label" + (g.disagreement ? " " + g.disagreement : ""));
      var a = el("a", g.content);
      if (g.href) { a.href = g.href; }
      label.appendChild(a);
      if (g.disagreement) {
        label.appendChild(el("span", g.disagreement === "conflict" ? "sources conflict"
                                                                   : "hedged differently", "badge"));
      }
      return { id: g.id, content: label, order: g.order };
    });
    return { items: items, groups: groups };
  }

  function detail(panel, it, sources) {
    panel.textContent = "";
    var source = sources[it.source] || {};
    var p = el("p");
    var subject = el("a", it.title.split(":")[0]);
    if (it.subject_href) { subject.href = it.subject_href; }
    p.appendChild(subject);
    p.appendChild(el("span", ": " + it.content + " — "));
    var article = el("a", source.label || it.source);
    if (source.href) { article.href = source.href; }
    p.appendChild(article);
    p.appendChild(el("span", " · "));
    var claim = el("a", "the claim");
    if (it.claim_href) { claim.href = it.claim_href; }
    claim.className = "claim";
    p.appendChild(claim);
    panel.appendChild(p);
  }

  // Open on where most dates are: from the tenth percentile of the starts to the last day (a
  // few early outliers, such as 1992, would otherwise squeeze everything else into a sliver).
  function window_(items) {
    var starts = items.map(function (i) { return i.start; }).sort();
    var ends = items.map(function (i) { return i.end || i.start; }).sort();
    if (!starts.length) { return {}; }
    var from = new Date(starts[Math.floor(starts.length / 10)]);
    var to = new Date(ends[ends.length - 1]);
    var pad = Math.max((to - from) / 20, 7 * 86400000);
    return { start: new Date(from - pad), end: new Date(to.getTime() + pad) };
  }

  function render(container, data) {
    var sourceClass = {}, sources = {};
    data.sources.forEach(function (s) { sourceClass[s.iri] = s.class; sources[s.iri] = s; });
    var all = toVis(data, sourceClass);
    var shown = window_(data.items);
    var options = {
      stack: true, zoomable: true, orientation: "top", groupOrder: "order",
      margin: { item: { vertical: 4 } }, tooltip: { followMouse: true },
      verticalScroll: true, maxHeight: container.getAttribute("data-height") || "70vh",
      showCurrentTime: false, start: shown.start, end: shown.end,
      xss: { disabled: false },
    };
    var timeline = new vis.Timeline(container, all.items, all.groups, options);
    var panel = document.getElementById(container.id + "-detail");
    var byId = {};
    all.items.forEach(function (i) { byId[i.id] = i.kg; });
    timeline.on("select", function (e) {
      if (panel && e.items.length) { detail(panel, byId[e.items[0]], sources); }
    });

    var form = document.getElementById(container.id + "-filters");
    function apply() {
      var shown = {}, actor = "";
      if (form) {
        form.querySelectorAll("input[name=source]").forEach(function (c) {
          shown[c.value] = c.checked;
        });
        actor = form.querySelector("select[name=actor]").value;
      }
      var items = all.items.filter(function (i) {
        return (!form || shown[i.kg.source]) &&
               (!actor || i.kg.participants.indexOf(actor) >= 0);
      });
      var used = {};
      items.forEach(function (i) { used[i.group] = true; });
      timeline.setGroups(all.groups.filter(function (g) { return used[g.id]; }));
      timeline.setItems(items);
      container.setAttribute("data-shown", String(items.length));
    }
    if (form) { form.addEventListener("change", apply); }
    apply();
    container.kgTimeline = timeline;
    return timeline;
  }

  document.querySelectorAll(".kg-timeline").forEach(function (container) {
    var inline = document.getElementById(container.id + "-data");
    if (inline) {
      render(container, JSON.parse(inline.textContent));
      return;
    }
    fetch(container.getAttribute("data-src"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.items.length) { return; }  // the section stays hidden
        var section = container.closest("section");
        if (section) { section.hidden = false; }
        render(container, data);
      });
  });
})();
