/* Plan map: teams' routes and TPS coloured per team, uncovered TPS in red. On a draft, a TPS popup offers a
 * "move to team" form that posts the page's hidden form (CSRF token included). No inline script (CSP): the
 * configuration comes from json_script; every server text is set with textContent. */
(function () {
  "use strict";
  var box = document.getElementById("plan-map");
  var cfgNode = document.getElementById("plan-map-config");
  if (!box || !cfgNode || typeof L === "undefined") return;
  var cfg = JSON.parse(cfgNode.textContent);
  var map = L.map(box, { preferCanvas: true }).setView([-8.17, 113.7], 10);
  var moveForm = document.getElementById("map-move-form");

  function el(tag, text) {
    var n = document.createElement(tag);
    if (text !== undefined) n.textContent = String(text);
    return n;
  }

  function popup(props, teams) {
    var wrap = el("div");
    wrap.appendChild(el("div", props.label || ""));
    if (!moveForm || !cfg.move_url || props.kind === "route") return wrap;
    var label = el("label", cfg.text.move + " ");
    var select = el("select");
    select.appendChild(new Option(cfg.text.uncover, ""));
    teams.forEach(function (code) {
      var opt = new Option(code, code);
      if (code === props.team) opt.selected = true;
      select.appendChild(opt);
    });
    label.appendChild(select);
    var button = el("button", cfg.text.submit);
    button.type = "button";
    button.className = "btn btn-sm btn-primary ms-1";
    button.addEventListener("click", function () {
      moveForm.elements.tps.value = props.id;
      moveForm.elements.team.value = select.value;
      moveForm.submit();
    });
    var form = el("div");
    form.className = "map-move-form mt-1";
    form.appendChild(label);
    form.appendChild(button);
    wrap.appendChild(form);
    return wrap;
  }

  fetch(cfg.geojson, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var teams = [];
      data.features.forEach(function (f) {
        if (f.properties.kind === "route") teams.push(f.properties.team);
      });
      var layer = L.geoJSON(data, {
        style: function (f) { return { color: f.properties.color, weight: 2, opacity: 0.6 }; },
        pointToLayer: function (f, latlng) {
          var uncovered = f.properties.kind === "uncovered";
          return L.circleMarker(latlng, {
            radius: uncovered ? 6 : 5, color: uncovered ? "#000" : f.properties.color,
            fillColor: f.properties.color, fillOpacity: 0.9, weight: uncovered ? 2 : 1,
          });
        },
        onEachFeature: function (f, l) {
          l.bindPopup(function () { return popup(f.properties, teams); });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      box.setAttribute("data-loaded", String(data.features.length));
    });
})();
