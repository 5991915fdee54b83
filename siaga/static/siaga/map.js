/* Siaga maps: the command map (/peta/) and the small maps of detail pages.
 *
 * No inline script or style (CSP): the page passes its configuration in a <script type="application/json">
 * (Django's json_script) and this file reads it. Text from the server is always set with textContent.
 *
 * Layers come from the server (siaga.core.maplayers.layers_for). A layer URL answers either GeoJSON (a
 * FeatureCollection; optional foreign members `color`, `legend`, `style`) or the compact point form
 * {"type": "SiagaPoints", "fields": [...], "rows": [[...], ...], "groups": [...], "url": "/x/{}/",
 *  "label_format": "TPS {number} {group}", "color", "synthetic_color", "legend"}, where a row's `group` is an
 * index into `groups`. Many points are clustered on a pixel grid at low zoom (our own few lines below, no
 * plugin); at high zoom each point is a circle marker on the canvas renderer.
 */
(function () {
  "use strict";

  var CLUSTER_MIN_POINTS = 150; // fewer points than this are always drawn one by one
  var CLUSTER_CELL_PX = 56; // grid cell size in screen pixels
  var CLUSTER_OFF_ZOOM = 15; // from this zoom on every point is drawn individually

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Only same-origin paths become links: never javascript: or another host.
  function safeUrl(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function popupContent(props, text) {
    var box = el("div", "map-popup");
    box.appendChild(el("strong", null, props.label || ""));
    if (props.synthetic) box.appendChild(el("div", "map-popup-synthetic", text.synthetic));
    var url = safeUrl(props.url);
    if (url && text.details) {
      var link = el("a", "map-popup-link", text.details);
      link.href = url;
      box.appendChild(link);
    }
    return box;
  }

  /* ---- reading layer data ---------------------------------------------------------------------- */

  function formatLabel(format, row, index, groups) {
    return format.replace(/\{(\w+)\}/g, function (match, name) {
      if (!(name in index)) return "";
      var value = row[index[name]];
      return name === "group" && groups ? groups[value] : value;
    });
  }

  // Every point layer becomes a flat array of {lat, lng, label, url, color, synthetic}.
  function readPoints(data) {
    var points = [];
    if (data.type === "SiagaPoints") {
      var index = {};
      data.fields.forEach(function (name, i) { index[name] = i; });
      var format = data.label_format || "{id}";
      data.rows.forEach(function (row) {
        var synthetic = "synthetic" in index && !!row[index.synthetic];
        points.push({
          lat: row[index.lat],
          lng: row[index.lng],
          label: formatLabel(format, row, index, data.groups),
          url: data.url ? data.url.replace("{}", row[index.id]) : null,
          color: synthetic && data.synthetic_color ? data.synthetic_color : data.color,
          synthetic: synthetic,
        });
      });
      return points;
    }
    (data.features || []).forEach(function (f) {
      if (!f.geometry || f.geometry.type !== "Point") return;
      var p = f.properties || {};
      points.push({
        lat: f.geometry.coordinates[1],
        lng: f.geometry.coordinates[0],
        label: p.label,
        url: p.url,
        color: p.color || data.color || "#0d6efd",
        synthetic: !!p.synthetic,
      });
    });
    return points;
  }

  /* ---- point layers with grid clustering ------------------------------------------------------- */

  function PointLayer(map, points, options) {
    this.map = map;
    this.points = points;
    this.options = options; // renderer, text, color
    this.group = L.featureGroup();
    this.projected = {}; // zoom -> Float64Array [x0, y0, x1, y1, ...]
  }

  PointLayer.prototype.project = function (zoom) {
    if (!this.projected[zoom]) {
      var xy = new Float64Array(this.points.length * 2);
      for (var i = 0; i < this.points.length; i++) {
        var p = this.map.project([this.points[i].lat, this.points[i].lng], zoom);
        xy[2 * i] = p.x;
        xy[2 * i + 1] = p.y;
      }
      this.projected[zoom] = xy;
    }
    return this.projected[zoom];
  };

  PointLayer.prototype.marker = function (p) {
    var text = this.options.text;
    var marker = L.circleMarker([p.lat, p.lng], {
      renderer: this.options.renderer,
      radius: 6,
      color: "#ffffff",
      weight: 1.5,
      fillColor: p.color,
      fillOpacity: 0.95,
      dashArray: p.synthetic ? "2 2" : null,
    });
    marker.bindPopup(function () { return popupContent(p, text); });
    return marker;
  };

  PointLayer.prototype.bubble = function (members, sumLat, sumLng) {
    var n = members.length;
    var size = n < 10 ? 28 : n < 100 ? 36 : n < 1000 ? 44 : 52;
    var label = el("span", "map-cluster-count", n.toLocaleString());
    // A bubble takes its members' colour when they share one (all synthetic, say), else the layer's.
    var color = members[0].color;
    for (var i = 1; i < n && color; i++) if (members[i].color !== color) color = null;
    label.style.backgroundColor = color || this.options.color; // CSSOM: allowed by the CSP, attributes are not
    var map = this.map;
    var marker = L.marker([sumLat / n, sumLng / n], {
      icon: L.divIcon({ html: label, className: "map-cluster map-cluster--" + this.options.key, iconSize: [size, size] }),
      title: n + " " + this.options.text.points,
      keyboard: true,
    });
    marker.on("click", function () {
      var bounds = L.latLngBounds(members.map(function (p) { return [p.lat, p.lng]; }));
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), map.getZoom() + 2);
      else map.fitBounds(bounds.pad(0.1));
    });
    return marker;
  };

  // What is on screen, for people debugging and for the browser tests: data-drawn-<layer>="markers/bubbles".
  PointLayer.prototype.report = function (markers, bubbles) {
    if (this.options.key) this.map.getContainer().setAttribute("data-drawn-" + this.options.key, markers + "/" + bubbles);
  };

  PointLayer.prototype.redraw = function () {
    var map = this.map;
    this.group.clearLayers();
    var zoom = map.getZoom();
    var view = map.getBounds().pad(0.2);
    var s = view.getSouth(), n = view.getNorth(), w = view.getWest(), e = view.getEast();
    var pts = this.points;
    var i;
    if (pts.length < CLUSTER_MIN_POINTS || zoom >= CLUSTER_OFF_ZOOM) {
      for (i = 0; i < pts.length; i++) {
        if (pts[i].lat >= s && pts[i].lat <= n && pts[i].lng >= w && pts[i].lng <= e) this.group.addLayer(this.marker(pts[i]));
      }
      this.report(this.group.getLayers().length, 0);
      return;
    }
    var xy = this.project(zoom);
    var cells = new Map();
    for (i = 0; i < pts.length; i++) {
      var p = pts[i];
      if (p.lat < s || p.lat > n || p.lng < w || p.lng > e) continue;
      var key = Math.floor(xy[2 * i] / CLUSTER_CELL_PX) + ":" + Math.floor(xy[2 * i + 1] / CLUSTER_CELL_PX);
      var cell = cells.get(key);
      if (!cell) {
        cell = { members: [], lat: 0, lng: 0 };
        cells.set(key, cell);
      }
      cell.members.push(p);
      cell.lat += p.lat;
      cell.lng += p.lng;
    }
    var self = this;
    var markers = 0;
    cells.forEach(function (cell) {
      if (cell.members.length === 1) markers += 1;
      self.group.addLayer(cell.members.length === 1 ? self.marker(cell.members[0]) : self.bubble(cell.members, cell.lat, cell.lng));
    });
    this.report(markers, cells.size - markers);
  };

  /* ---- polygon layers -------------------------------------------------------------------------- */

  function polygonLayer(data, renderer, text) {
    var style = data.style || {};
    var color = data.color || "#1f2f4a";
    return L.geoJSON(data, {
      renderer: renderer,
      interactive: style.interactive !== false,
      style: function (feature) {
        return {
          color: (feature.properties && feature.properties.color) || color,
          weight: style.weight || 1.5,
          fill: style.fill !== false,
          fillOpacity: style.fillOpacity === undefined ? 0.05 : style.fillOpacity,
          opacity: style.opacity === undefined ? 0.9 : style.opacity,
        };
      },
      onEachFeature: function (feature, layer) {
        if (style.interactive === false) return;
        layer.bindPopup(function () { return popupContent(feature.properties || {}, text); });
      },
    });
  }

  /* ---- the layer panel (control + legend) ------------------------------------------------------ */

  function swatch(color, className) {
    var dot = el("span", className || "legend-dot");
    dot.style.backgroundColor = color;
    return dot;
  }

  function LayerPanel(map, text) {
    var control = L.control({ position: "topright" });
    var box = el("details", "map-panel leaflet-bar");
    box.id = "map-layers";
    if (window.innerWidth >= 768) box.open = true;
    box.appendChild(el("summary", "map-panel-title", text.layers));
    var list = el("ul", "map-layer-list");
    box.appendChild(list);
    control.onAdd = function () {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    this.list = list;
    this.text = text;
  }

  LayerPanel.prototype.add = function (def, onToggle) {
    var item = el("li", "map-layer");
    item.dataset.layer = def.key;
    var label = el("label", "map-layer-label");
    var input = el("input", "form-check-input");
    input.type = "checkbox";
    input.checked = !!def.default_on;
    input.dataset.layer = def.key;
    input.addEventListener("change", function () { onToggle(input.checked); });
    label.appendChild(input);
    label.appendChild(el("span", "map-layer-name", def.label));
    var status = el("span", "map-layer-status", this.text.loading);
    label.appendChild(status);
    item.appendChild(label);
    var legend = el("ul", "map-legend-list");
    item.appendChild(legend);
    this.list.appendChild(item);
    return {
      loaded: function (data, count) {
        status.textContent = count === null ? "" : "(" + count.toLocaleString() + ")";
        var entries = data.legend && data.legend.length ? data.legend : [{ label: "", color: data.color }];
        entries.forEach(function (entry) {
          if (!entry.color) return;
          var row = el("li", "map-legend-item");
          row.appendChild(swatch(entry.color, def.kind === "polygons" ? "legend-line" : "legend-dot"));
          if (entry.label) row.appendChild(el("span", null, entry.label));
          legend.appendChild(row);
        });
      },
      idle: function () { status.textContent = ""; },
      failed: function () {
        status.textContent = "(" + this.text.failed + ")";
        item.classList.add("map-layer-failed");
      }.bind(this),
    };
  };

  /* ---- the command map ------------------------------------------------------------------------- */

  function commandMap(node, config) {
    var text = config.text;
    var map = L.map(node, { preferCanvas: true, zoomSnap: 0.5, minZoom: 5, maxZoom: 19 });
    map.fitBounds(config.bounds);
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.tile_attribution || "", maxZoom: 19 }).addTo(map);
    }
    // One canvas for everything: several stacked canvases would hide each other's clicks.
    var renderer = L.canvas({ padding: 0.3 });
    var panel = new LayerPanel(map, text);
    var active = []; // [{order, layer}] in drawing order
    // Layers switched off at first are fetched when first switched on: the first view downloads only what
    // it shows (the desa boundaries and the TPS categories alone are megabytes).
    var pending = config.layers.filter(function (def) { return def.default_on; }).length;

    function restack() {
      active.sort(function (a, b) { return a.order - b.order; });
      active.forEach(function (entry) {
        if (map.hasLayer(entry.layer) && entry.layer.bringToFront) entry.layer.bringToFront();
      });
    }

    function settle() {
      pending -= 1;
      if (pending === 0) node.dataset.state = "ready";
    }

    // A live layer is fetched again while it is switched on and the tab is visible; the points are replaced.
    function keepFresh(def, url, entry) {
      var busy = false;
      window.setInterval(function () {
        if (busy || document.hidden || !map.hasLayer(entry.layer)) return;
        busy = true;
        // "no-store": the layer answers carry a short browser cache for the first view; a refresh must not use it.
        fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) return;
            var sig = JSON.stringify(data);
            if (sig === entry.sig) return; // unchanged: keep the markers (and an open popup) as they are
            entry.sig = sig;
            entry.points.points = readPoints(data);
            entry.points.projected = {};
            entry.points.redraw();
            node.setAttribute("data-loaded-" + def.key, String(entry.points.points.length));
          })
          .catch(function () { /* keep the last points; the next tick tries again */ })
          .finally(function () { busy = false; });
      }, def.refresh_s * 1000);
    }

    config.layers.forEach(function (def) {
      var requested = false;
      var row = panel.add(def, function (on) {
        if (on && !requested) { load(); return; }
        var entry = active.find(function (a) { return a.key === def.key; });
        if (!entry) return;
        if (on) {
          entry.layer.addTo(map);
          if (entry.points) entry.points.redraw();
          restack();
        } else {
          map.removeLayer(entry.layer);
        }
      });
      function load() {
        requested = true;
        var url = def.url + (config.election ? (def.url.indexOf("?") < 0 ? "?" : "&") + "election=" + encodeURIComponent(config.election) : "");
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (data) {
            var entry = { key: def.key, order: def.order, layer: null, points: null };
            var count;
            if (def.kind === "polygons") {
              entry.layer = polygonLayer(data, renderer, text);
              count = null;
            } else {
              var points = readPoints(data);
              entry.points = new PointLayer(map, points, { key: def.key, renderer: renderer, text: text, color: data.color || "#0d6efd" });
              entry.layer = entry.points.group;
              count = points.length;
              map.on("moveend", function () { if (map.hasLayer(entry.layer)) entry.points.redraw(); });
            }
            node.setAttribute("data-loaded-" + def.key, String(count === null ? (data.features || []).length : count));
            active.push(entry);
            var checkbox = panel.list.querySelector('input[data-layer="' + def.key + '"]');
            if (!checkbox || checkbox.checked) {
              entry.layer.addTo(map);
              if (entry.points) entry.points.redraw();
            }
            restack();
            row.loaded(data, count);
            if (def.refresh_s && entry.points) keepFresh(def, url, entry);
          })
          .catch(function () { row.failed(); })
          .finally(function () { if (def.default_on) settle(); });
      }
      if (def.default_on) load();
      else row.idle();
    });
    if (!pending) node.dataset.state = "ready";

    map.on("zoomend", function () { node.setAttribute("data-zoom", String(map.getZoom())); });
    node.setAttribute("data-zoom", String(map.getZoom()));

    var form = document.getElementById("election-form");
    var select = document.getElementById("election-select");
    if (form && select) select.addEventListener("change", function () { form.submit(); });
    return map;
  }

  /* ---- the small map of a detail page ---------------------------------------------------------- */

  function miniMap(node, data) {
    var map = L.map(node, { preferCanvas: true, scrollWheelZoom: false, attributionControl: false });
    var renderer = L.canvas();
    var group = L.featureGroup().addTo(map);
    var text = { synthetic: "", details: "" };
    if (data.polygons && data.polygons.features && data.polygons.features.some(function (f) { return f.geometry; })) {
      polygonLayer(data.polygons, renderer, text).addTo(group);
    }
    (data.points || []).forEach(function (p) {
      L.circleMarker([p.lat, p.lng], { renderer: renderer, radius: 8, color: "#fff", weight: 2, fillColor: p.color, fillOpacity: 1 })
        .bindTooltip(el("span", null, p.label))
        .addTo(group);
    });
    var bounds = group.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 16 });
    else map.setView([-2.5, 118], 4);
    node.dataset.state = "ready";
  }

  function start() {
    var node = document.getElementById("command-map");
    if (node) commandMap(node, readJson("map-config"));
    document.querySelectorAll(".mini-map[data-map]").forEach(function (mini) {
      miniMap(mini, readJson(mini.dataset.map));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
