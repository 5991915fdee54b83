/* Public report form: map pick (Leaflet), phone location, and a list of what is missing before sending.
 * No inline script (CSP): configuration comes from <script type="application/json" id="pick-map-config">,
 * translated messages from data-* attributes of <template id="msg-templates">.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var msgs = document.getElementById("msg-templates").dataset;
  var lat = form.querySelector("[name=lat]");
  var lng = form.querySelector("[name=lng]");
  var desa = form.querySelector("[name=desa]");
  var statusBox = document.getElementById("location-status");
  var marker = null;
  var map = null;

  function setPoint(la, ln, text) {
    lat.value = la.toFixed(6);
    lng.value = ln.toFixed(6);
    statusBox.textContent = text + " (" + lat.value + ", " + lng.value + ")";
    if (map) {
      var ll = [la, ln];
      if (marker) marker.setLatLng(ll); else marker = L.circleMarker(ll, { radius: 9, color: "#dc3545" }).addTo(map);
      map.setView(ll, Math.max(map.getZoom(), 14));
    }
  }

  var configNode = document.getElementById("pick-map-config");
  if (window.L && configNode) {
    var cfg = JSON.parse(configNode.textContent);
    map = L.map("pick-map").setView(cfg.center, cfg.zoom);
    if (cfg.tiles) L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 19 }).addTo(map);
    fetch(cfg.boundaries, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) L.geoJSON(data, { style: { color: "#1f2f4a", weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(map);
      })
      .catch(function () { /* the map still works for picking without boundaries */ });
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, msgs.located); });
    if (lat.value && lng.value) setPoint(parseFloat(lat.value), parseFloat(lng.value), msgs.located);
  }

  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { statusBox.textContent = msgs.noLocation; return; }
    statusBox.textContent = msgs.locating;
    navigator.geolocation.getCurrentPosition(
      function (pos) { setPoint(pos.coords.latitude, pos.coords.longitude, msgs.located); },
      function () { statusBox.textContent = msgs.noLocation; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  function missingFields() {
    var missing = [];
    form.querySelectorAll("[data-missing]").forEach(function (node) {
      if (node.id === "pick-map") return;
      var empty = node.type === "checkbox" ? !node.checked : !node.value || (node.minLength > 0 && node.value.trim().length < node.minLength);
      if (empty) missing.push(node.dataset.missing);
    });
    if (!(lat.value && lng.value) && !desa.value) missing.push(document.getElementById("pick-map").dataset.missing);
    var files = form.querySelector("[name=photos]").files || [];
    if (files.length > parseInt(form.dataset.maxPhotos, 10)) missing.push(msgs.photosTooMany);
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > parseInt(form.dataset.maxBytes, 10)) { missing.push(msgs.photoTooBig); break; }
    }
    return missing;
  }

  form.addEventListener("submit", function (event) {
    var missing = missingFields();
    var box = document.getElementById("missing");
    var list = document.getElementById("missing-list");
    list.textContent = "";
    if (missing.length) {
      event.preventDefault();
      missing.forEach(function (text) { var li = document.createElement("li"); li.textContent = text; list.appendChild(li); });
      box.classList.remove("d-none");
      box.scrollIntoView({ behavior: "smooth", block: "start" });
      return;
    }
    box.classList.add("d-none");
    // A double tap sends the same idempotency key anyway; disabling the button just avoids the wait.
    document.getElementById("send-report").disabled = true;
  });
})();
