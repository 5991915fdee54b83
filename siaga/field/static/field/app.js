/* The field app's pages: register the service worker (offline after the first visit), turn every
 * `form.ob-form` into an outbox item (outbox.js), show what is waiting / sent / refused, scan QR codes with the
 * camera where the browser can (BarcodeDetector; typed code otherwise), and empty the phone on logout.
 * No inline script (CSP): texts come from <template id="field-msgs" data-*>.
 */
(function () {
  "use strict";
  var body = document.body;
  var msgs = (document.getElementById("field-msgs") || { dataset: {} }).dataset;
  var box = window.SiagaOutbox;

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(function () {});
  }

  // --- connection state ---------------------------------------------------------------------------------
  var net = document.getElementById("net-state");
  function showNet() {
    if (!net) return;
    net.textContent = navigator.onLine ? net.dataset.online : net.dataset.offline;
    net.className = "badge net-state " + (navigator.onLine ? "bg-success" : "bg-secondary");
  }
  window.addEventListener("online", showNet);
  window.addEventListener("offline", showNet);
  showNet();

  // --- outbox display -------------------------------------------------------------------------------------
  function when(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function row(text, state, detail) {
    var li = document.createElement("li");
    li.className = "list-group-item outbox-item state-" + state;
    li.setAttribute("data-state", state);
    var strong = document.createElement("strong");
    strong.textContent = text;
    li.appendChild(strong);
    if (detail) {
      var small = document.createElement("div");
      small.className = "small";
      small.textContent = detail;
      li.appendChild(small);
    }
    return li;
  }
  function render(state) {
    var count = document.getElementById("outbox-count");
    if (count) {
      count.textContent = String(state.waiting.length);
      count.setAttribute("data-count", String(state.waiting.length));
    }
    var alert = document.getElementById("outbox-alert");
    if (alert) {
      alert.hidden = state.paused !== "login";
      alert.textContent = state.paused === "login" ? msgs.login : "";
    }
    var waiting = document.getElementById("outbox-waiting");
    if (waiting) {
      waiting.textContent = "";
      state.waiting.forEach(function (item) {
        waiting.appendChild(row(item.label, "waiting", when(item.created) + " · " + (navigator.onLine ? msgs.retry : msgs.waiting)));
      });
      if (!state.waiting.length) waiting.appendChild(row(msgs.empty, "empty"));
    }
    var log = document.getElementById("outbox-log");
    if (log) {
      log.textContent = "";
      state.log.sort(function (a, b) { return b.at - a.at; }).forEach(function (item) {
        var label = item.state === "sent" ? msgs.sent : msgs.refused;
        log.appendChild(row(item.label, item.state, when(item.created) + " · " + label + (item.message ? ": " + item.message : "")));
      });
    }
  }
  if (box) box.onChange(render);
  var sendNow = document.getElementById("outbox-send");
  if (sendNow && box) sendNow.addEventListener("click", function () { box.flush(); });

  // --- filing an action -----------------------------------------------------------------------------------
  function say(form, text, kind) {
    var out = form.querySelector(".ob-status");
    if (!out) {
      out = document.createElement("p");
      out.className = "ob-status small mt-2 mb-0";
      out.setAttribute("role", "status");
      form.appendChild(out);
    }
    out.textContent = text;
    out.className = "ob-status small mt-2 mb-0 text-" + (kind || "muted");
  }

  function position(mode) {
    if (mode !== "required" && mode !== "optional") return Promise.resolve(null);
    if (!navigator.geolocation) return Promise.resolve(null);
    return new Promise(function (resolve) {
      navigator.geolocation.getCurrentPosition(function (pos) { resolve(pos.coords); }, function () { resolve(null); },
        { enableHighAccuracy: true, timeout: mode === "required" ? 20000 : 8000, maximumAge: 60000 });
    });
  }

  function shrink(file) {
    // Phones take 4000 px photos; 1280 px JPEG keeps the outbox small. The server re-encodes (drops EXIF) anyway.
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

  function value(el) {
    var type = el.dataset.type;
    if (type === "bool") return el.checked;
    if (type === "int") return el.value === "" ? null : parseInt(el.value, 10);
    return el.value;
  }

  function collect(form, submitter) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "submit" || el.type === "button" || el.type === "file") return;
      var v = value(el);
      if (v === null) return;
      data[el.name] = typeof v === "string" ? v.trim() : v;
    });
    if (submitter && submitter.name) data[submitter.name] = submitter.value;
    if (form.dataset.now) data[form.dataset.now] = new Date().toISOString();
    return data;
  }

  function photos(form) {
    var inputs = form.querySelectorAll("input[type=file][data-photo]");
    return Promise.all(Array.prototype.map.call(inputs, function (input) {
      return shrink(input.files && input.files[0]).then(function (url) { return { name: input.dataset.photo, url: url }; });
    }));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.ob-form")) return;
    event.preventDefault();
    if (!box) return;
    var submitter = event.submitter || null;
    var data = collect(form, submitter);
    var min = parseInt(form.dataset.minDescription || "0", 10);
    if (min && (data.description || "").length < min) { say(form, msgs.short, "danger"); return; }
    var geo = form.dataset.geo || "";
    var buttons = form.querySelectorAll("button[type=submit]");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    if (geo) say(form, msgs.gpsWait);
    Promise.all([position(geo), photos(form)]).then(function (r) {
      var coords = r[0];
      if (coords) {
        data.lat = Math.round(coords.latitude * 1e6) / 1e6;
        data.lng = Math.round(coords.longitude * 1e6) / 1e6;
        if (geo === "required") data.accuracy_m = Math.round(coords.accuracy || 0);
      } else if (geo === "required") {
        say(form, msgs.gpsRequired, "danger");
        return null;
      }
      r[1].forEach(function (p) {
        if (!p.url) return;
        if (p.name.slice(-2) === "[]") {
          var key = p.name.slice(0, -2);
          data[key] = (data[key] || []).concat([p.url]);
        } else {
          data[p.name] = p.url;
        }
      });
      var label = form.dataset.label + (submitter && submitter.name ? " · " + submitter.textContent.trim() : "");
      var text = data.description || data.note || data.events || "";
      if (text) label += " · " + (text.length > 40 ? text.slice(0, 40) + "…" : text);
      return box.add({ url: form.dataset.url, body: data, label: label });
    }).then(function (entry) {
      if (!entry) return;
      say(form, msgs.queued + ": " + entry.label, "success");
      Array.prototype.forEach.call(form.querySelectorAll("textarea, input[type=file], input.qr-input"), function (el) { el.value = ""; });
    }, function () { say(form, msgs.refused, "danger"); }).then(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  });

  // --- QR by camera ---------------------------------------------------------------------------------------
  var canScan = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  function scan(input, button) {
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { say(button.form, msgs.qrNone, "warning"); return; }
    var overlay = document.createElement("div");
    overlay.className = "qr-overlay";
    var video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-light big-tap";
    close.textContent = "✕";
    overlay.appendChild(video);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
    var stream = null;
    var done = false;
    function stop() {
      done = true;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      overlay.remove();
    }
    close.addEventListener("click", stop);
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      return video.play();
    }).then(function tick() {
      if (done) return;
      detector.detect(video).then(function (codes) {
        if (codes.length) {
          input.value = codes[0].rawValue;
          say(button.form, msgs.qrRead + ": " + codes[0].rawValue, "success");
          stop();
        } else {
          setTimeout(tick, 250);
        }
      }, function () { setTimeout(tick, 500); });
    }).catch(function () { stop(); say(button.form, msgs.qrNone, "warning"); });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".qr-scan"), function (button) {
    if (!canScan) return;
    button.hidden = false;
    button.addEventListener("click", function () { scan(button.form.querySelector(".qr-input"), button); });
  });

  // --- logout empties the phone ---------------------------------------------------------------------------
  var logout = document.getElementById("field-logout");
  if (logout && box) {
    logout.addEventListener("submit", function (event) {
      if (logout.dataset.cleared === "1") return;
      event.preventDefault();
      box.waiting().then(function (items) {
        if (items.length && !window.confirm(logout.dataset.confirm)) return;
        return box.clearAll().then(function () {
          logout.dataset.cleared = "1";
          logout.submit();
        });
      });
    });
  }
})();
