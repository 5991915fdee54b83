/* "TPS saya": the officer's TPS numbered in visiting order, the route from his Polsek station. */
(function () {
  "use strict";
  var box = document.getElementById("my-tps-map");
  var cfgNode = document.getElementById("my-tps-config");
  if (!box || !cfgNode || typeof L === "undefined") return;
  var cfg = JSON.parse(cfgNode.textContent);
  var map = L.map(box).setView([-8.17, 113.7], 11);
  var line = [];
  if (cfg.station) line.push([cfg.station.lat, cfg.station.lng]);
  var markers = [];
  cfg.points.forEach(function (p) {
    var icon = L.divIcon({ className: "tps-order-label", html: "", iconSize: null });
    var m = L.marker([p.lat, p.lng], { icon: icon, title: p.label, alt: p.label }).addTo(map);
    m.getElement().textContent = String(p.order);
    m.getElement().setAttribute("data-tps-order", String(p.order));
    m.bindPopup(function () { var d = document.createElement("div"); d.textContent = p.label; return d; });
    markers.push(m);
    line.push([p.lat, p.lng]);
  });
  if (cfg.station) {
    L.circleMarker([cfg.station.lat, cfg.station.lng], { radius: 7, color: "#000", fillColor: "#ffd700", fillOpacity: 1 })
      .bindTooltip(cfg.station.label).addTo(map);
    line.push([cfg.station.lat, cfg.station.lng]);
  }
  if (line.length > 1) L.polyline(line, { color: "#1f77b4", weight: 3, opacity: 0.7 }).addTo(map);
  if (line.length) map.fitBounds(L.latLngBounds(line), { padding: [20, 20], maxZoom: 15 });
  box.setAttribute("data-markers", String(markers.length));
})();
