// Guard pages: fill the GPS fields of check-in/out forms from the phone's position (CSP: no inline script).
(function () {
  "use strict";
  function fill(form, pos) {
    form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
    form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
    var acc = form.querySelector("[name=accuracy]");
    if (acc) { acc.value = Math.round(pos.coords.accuracy); }
  }
  function status(text) {
    var el = document.getElementById("gps-status");
    if (el) { el.textContent = text; }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-geo]") || form.dataset.geoReady === "1") { return; }
    if (!navigator.geolocation) { return; }
    event.preventDefault();
    status(form.dataset.geoWaiting || "GPS...");
    navigator.geolocation.getCurrentPosition(function (pos) {
      fill(form, pos);
      form.dataset.geoReady = "1";
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }, function (err) {
      status((form.dataset.geoError || "GPS") + ": " + err.message);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  });
})();
