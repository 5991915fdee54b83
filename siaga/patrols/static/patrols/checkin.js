/* Patrol check-in from the phone, with an offline queue.
 *
 * Each tap makes a check-in with a client-generated UUID (sent as the Idempotency-Key header) and puts it in
 * an outbox in localStorage first. The outbox is flushed now, when the phone comes back online and every
 * 30 s; an entry leaves the outbox only when the server has acknowledged it (201 stored, 200 already stored)
 * or refused it for good (4xx). A resend after a lost answer is therefore stored once by the server.
 * No inline script (CSP): texts and URLs come from data-* attributes.
 */
(function () {
  "use strict";

  var root = document.getElementById("patrol-checkin");
  if (!root) return;
  var OUTBOX = "siaga.patrol.outbox.v1";
  var api = root.dataset.api;
  var text = root.dataset;
  var statusLine = document.getElementById("gps-status");
  var results = document.getElementById("checkin-results");
  var flushing = false;

  function csrf() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch (e) { return []; }
  }

  function save(items) {
    try {
      localStorage.setItem(OUTBOX, JSON.stringify(items));
    } catch (e) {
      // Quota: keep the check-ins, drop their photos rather than lose the proof of visit.
      items.forEach(function (i) { i.body.photo = ""; });
      localStorage.setItem(OUTBOX, JSON.stringify(items));
    }
    render();
  }

  function render() {
    var n = load().length;
    root.querySelectorAll("[data-outbox-count]").forEach(function (node) { node.textContent = String(n); });
    root.setAttribute("data-outbox", String(n));
    var box = document.getElementById("outbox-note");
    if (box) box.hidden = n === 0;
  }

  function say(message, kind) {
    if (statusLine) {
      statusLine.textContent = message;
      statusLine.className = "small alert alert-" + (kind || "info");
    }
  }

  function addResult(entry, data, ok) {
    var li = document.createElement("li");
    li.className = "list-group-item checkin-result " + (ok ? (data.flags && data.flags.length ? "flagged" : "clean") : "refused");
    li.setAttribute("data-point", String(entry.body.point_id));
    li.setAttribute("data-flags", ok ? (data.flags || []).join(",") : "refused");
    var name = entry.label || String(entry.body.point_id);
    var line = name + " · " + new Date(entry.body.arrived_at).toLocaleTimeString();
    if (ok) {
      line += " · " + Math.round(data.distance_m) + " m";
      if (data.flags && data.flags.length) line += " · " + text.flaggedText + ": " + data.flags.join(", ");
      else line += " · " + text.okText;
    } else {
      line += " · " + (data.message || text.refusedText);
    }
    li.textContent = line;
    results.insertBefore(li, results.firstChild);
  }

  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    var next = function () {
      var items = load();
      if (!items.length) return Promise.resolve();
      var entry = items[0];
      return fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Idempotency-Key": entry.key },
        body: JSON.stringify(entry.body),
      }).then(function (response) {
        if (response.status >= 500 || response.status === 408 || response.status === 429) throw new Error("retry");
        return response.json().catch(function () { return {}; }).then(function (data) {
          var ok = response.status === 200 || response.status === 201;
          addResult(entry, data, ok);
          save(load().filter(function (i) { return i.key !== entry.key; }));
          return next();
        });
      });
    };
    return next().then(function () {
      flushing = false;
      if (!load().length) say(text.sentText, "success");
    }, function () {
      flushing = false;
      say(text.queuedText, "warning");
    });
  }

  function shrink(file) {
    // Phones take 4000 px photos; 1280 px JPEG fits the outbox. The server re-encodes (and strips EXIF) anyway.
    return new Promise(function (resolve) {
      if (!file) return resolve("");
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () {
          var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.7));
        };
        img.onerror = function () { resolve(""); };
        img.src = reader.result;
      };
      reader.onerror = function () { resolve(""); };
      reader.readAsDataURL(file);
    });
  }

  function checkIn(button) {
    if (!navigator.geolocation) { say(text.noGpsText, "danger"); return; }
    button.disabled = true;
    say(text.waitingText, "info");
    navigator.geolocation.getCurrentPosition(function (pos) {
      var photoInput = document.getElementById("checkin-photo");
      shrink(photoInput && photoInput.files ? photoInput.files[0] : null).then(function (photo) {
        var unit = document.getElementById("checkin-unit");
        var qr = document.getElementById("checkin-qr");
        var entry = {
          key: uuid(),
          label: button.dataset.pointName,
          body: {
            point_id: Number(button.dataset.pointId),
            lat: pos.coords.latitude,
            lng: pos.coords.longitude,
            accuracy_m: Math.round(pos.coords.accuracy || 0),
            arrived_at: new Date().toISOString(),
            unit_id: unit && unit.value ? Number(unit.value) : null,
            qr: qr ? qr.value.trim() : "",
            photo: photo,
          },
        };
        var items = load();
        items.push(entry);
        save(items); // stored before sending: a dropped connection cannot lose it
        if (qr) qr.value = "";
        if (photoInput) photoInput.value = "";
        button.disabled = false;
        say(text.queuedText, "warning");
        flush();
      });
    }, function () {
      button.disabled = false;
      say(text.noGpsText, "danger");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-point-id]");
    if (button) checkIn(button);
  });
  var retry = document.getElementById("outbox-retry");
  if (retry) retry.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  render();
  flush();
})();
