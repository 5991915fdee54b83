/* Field report outbox: a report is stored in localStorage with an idempotency key made when it is drafted,
 * sent with that key, and deleted only once the server has acknowledged it (2xx) or refused it for good (4xx).
 * Network failures, 5xx, 409 and 429 keep it for a later retry, so it reaches the server exactly once.
 * Only the outbox is kept on the phone (ASVS 14.3.3 deviation, documented in docs/incidents.md).
 */
(function () {
  "use strict";
  var form = document.getElementById("field-form");
  if (!form) return;
  var STORE = "siaga.outbox.v1";
  var msgs = document.getElementById("field-msgs").dataset;
  var sending = false;
  var delay = 2000;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(STORE, JSON.stringify(items)); render(items); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  function render(items) {
    var list = document.getElementById("outbox");
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.body.description.slice(0, 60) + " · " + msgs.queued;
      list.appendChild(li);
    });
    document.getElementById("outbox-count").textContent = String(items.length);
  }
  function note(text, cls) {
    var li = document.createElement("li");
    li.className = cls || "";
    li.textContent = text;
    document.getElementById("sent").prepend(li);
  }

  function sendOne(item) {
    return fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf, "Idempotency-Key": item.key },
      body: JSON.stringify(item.body),
    }).then(function (response) {
      var retry = response.status >= 500 || response.status === 409 || response.status === 429 || response.status === 408;
      if (retry) throw new Error("retry " + response.status);
      return response.json().then(function (data) { return { ok: response.ok, data: data }; }, function () { return { ok: response.ok, data: {} }; });
    });
  }

  function flush() {
    if (sending) return;
    var items = load();
    if (!items.length) return;
    sending = true;
    var item = items[0];
    sendOne(item).then(function (result) {
      save(load().filter(function (x) { return x.key !== item.key; }));
      note(result.ok ? msgs.sent + ": " + (result.data.receipt || "") : msgs.refused + ": " + (result.data.message || ""), result.ok ? "" : "text-danger");
      delay = 2000;
      sending = false;
      flush();
    }, function () {
      sending = false;
      delay = Math.min(delay * 2, 60000);
      setTimeout(flush, delay * (0.5 + Math.random()));
    });
  }

  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
      document.getElementById("f-location").textContent = msgs.located;
    }, function () {}, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var description = form.querySelector("[name=description]").value.trim();
    if (description.length < 10) { document.getElementById("f-location").textContent = msgs.short; return; }
    var lat = form.querySelector("[name=lat]").value;
    var lng = form.querySelector("[name=lng]").value;
    var body = {
      source: "field",
      category: form.querySelector("[name=category]").value,
      description: description,
      occurred_at: new Date().toISOString(),
      lat: lat ? parseFloat(lat) : null,
      lng: lng ? parseFloat(lng) : null,
    };
    var items = load();
    items.push({ key: uuid(), body: body, created: Date.now() });
    save(items);
    form.querySelector("[name=description]").value = "";
    flush();
  });

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  render(load());
  flush();
})();
