// A resource's neighbourhood (Cytoscape.js): the resource in the middle, what it links to and
// what links to it around it; click a node to open its page.
(function () {
  "use strict";
  var box = document.getElementById("neighbourhood");
  var data = document.getElementById("neighbourhood-data");
  if (!box || !data || typeof cytoscape === "undefined") { return; }
  var graph = JSON.parse(data.textContent);
  var colours = { centre: "#b3261e", person: "#1f77b4", state: "#d95f02", organization: "#7570b3",
                  place: "#1b9e77", claim: "#999999", agreement: "#e7298a", event: "#66a61e",
                  deployment: "#a6761d", withdrawal: "#a6761d", "speech-act": "#17becf" };
  var elements = graph.nodes.map(function (n) { return { group: "nodes", data: n }; })
    .concat(graph.edges.map(function (e) { return { group: "edges", data: e }; }));
  var cy = cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": function (n) { return colours[n.data("kind")] || "#5b6570"; },
        "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
        "text-valign": "bottom", "text-margin-y": 3, "width": 14, "height": 14 } },
      { selector: "node[?centre]", style: { "width": 24, "height": 24, "font-weight": "bold",
                                            "font-size": 12 } },
      { selector: "edge", style: {
        "width": 1, "line-color": "#c5ccd3", "target-arrow-color": "#c5ccd3",
        "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      // Property names only where they can be read: on few edges, or on hover.
      { selector: graph.edges.length <= 12 ? "edge" : "edge.hover", style: {
        "label": "data(label)", "font-size": 8, "color": "#5b6570",
        "text-rotation": "autorotate" } },
    ],
    // Every edge touches the resource: a circle around it, what it links to first.
    layout: { name: "breadthfirst", circle: true, roots: "node[?centre]", spacingFactor: 1.1,
              animate: false, padding: 10, avoidOverlap: true,
              sort: function (a, b) { return b.data("ring") - a.data("ring"); } },
  });
  cy.on("mouseover", "node", function (e) { e.target.connectedEdges().addClass("hover"); });
  cy.on("mouseout", "node", function (e) { e.target.connectedEdges().removeClass("hover"); });
  cy.on("tap", "node", function (e) {
    var href = e.target.data("href");
    if (href) { window.location.href = href; }
  });
  box.kgCy = cy;
})();
