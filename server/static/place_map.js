// The places of a resource page over country outlines, drawn offline: the outlines (world-atlas
// TopoJSON), the projection (d3-geo) and the points all come from this host.
(function () {
  "use strict";
  var svg = document.getElementById("place-map");
  var data = document.getElementById("place-map-data");
  if (!svg || !data || !window.d3 || !window.topojson) { return; }
  var points = JSON.parse(data.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var width = 640, height = 380, margin = 12;
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);

  function el(name, attributes, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    parent.appendChild(node);
    return node;
  }

  // The frame: the points' extent widened by a few degrees, so that a single place shows the
  // countries around it.
  var pad = 2.5;
  var lons = points.map(function (p) { return p.lon; });
  var lats = points.map(function (p) { return p.lat; });
  var frame = {type: "MultiPoint", coordinates: [
    [Math.min.apply(null, lons) - pad, Math.min.apply(null, lats) - pad],
    [Math.max.apply(null, lons) + pad, Math.max.apply(null, lats) + pad]]};
  var projection = d3.geoMercator().fitExtent([[margin, margin],
                                               [width - margin, height - margin]], frame);
  var path = d3.geoPath(projection);

  fetch(svg.getAttribute("data-outlines"))
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (world) {
      var land = el("g", {"class": "countries"}, svg);
      topojson.feature(world, world.objects.countries).features.forEach(function (f) {
        var d = path(f);
        if (!d) { return; }
        var shape = el("path", {d: d, "class": "country"}, land);
        el("title", {}, shape).textContent = f.properties.name;
      });
      draw();
    })
    .catch(function () { svg.setAttribute("data-outlines-failed", "true"); draw(); });

  function draw() {
    var layer = el("g", {"class": "places"}, svg);
    points.forEach(function (p) {
      var xy = projection([p.lon, p.lat]);
      var group = p.href ? el("a", {href: p.href}, layer) : layer;
      el("circle", {cx: xy[0], cy: xy[1], r: p.centre ? 6 : 4.5,
                    "class": p.centre ? "place centre" : "place"}, group);
      var label = el("text", {x: xy[0] + 8, y: xy[1] + 4, "class": "place-label"}, group);
      label.textContent = p.label;
    });
    svg.setAttribute("data-drawn", String(points.length));
  }
})();
