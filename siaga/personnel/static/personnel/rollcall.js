/* Apel roll-call and equipment check: every tap is POSTed at once and the page updates from the answer
   (entry state and live summary); no reload. No inline script anywhere (CSP): data comes from data-*. */
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function post(url, pairs) {
    var body = new URLSearchParams();
    pairs.forEach(function (p) { body.append(p[0], p[1]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: body
    }).then(function (r) {
      return r.json().catch(function () { return { message: r.status + " " + r.statusText }; }).then(function (data) {
        if (!r.ok) { throw data; }
        return data;
      });
    });
  }

  function showMessage(box, text) {
    if (!box) { return; }
    box.textContent = text || "";
    box.hidden = !text;
  }

  /* ---------------------------------------------------------------- roll-call */
  var root = document.getElementById("rollcall");
  if (root) {
    var base = root.dataset.entryBase;
    var locked = root.dataset.locked === "1";
    var message = document.getElementById("rc-message");
    var panel = document.getElementById("rc-panel");
    var progress = document.getElementById("rc-progress");
    var search = document.getElementById("rc-search");
    var unitFilter = document.getElementById("rc-unit");
    var onlyUnmarked = document.getElementById("rc-only-unmarked");
    var panelRow = null;

    var updateUnit = function (section) {
      var n = section.querySelectorAll('.rc-row[data-status="present"]').length;
      section.querySelector(".rc-unit-present").textContent = n;
    };

    var applySummary = function (s) {
      root.querySelectorAll("[data-count]").forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(s, el.dataset.count)) { el.textContent = s[el.dataset.count]; }
      });
      if (progress) { progress.max = s.roster || 1; progress.value = s.marked; }
    };

    var applyEntry = function (row, e) {
      row.dataset.status = e.status;
      row.dataset.health = e.health;
      row.dataset.reason = e.reason;
      row.dataset.kitChecked = e.kit_checked ? "1" : "0";
      row.dataset.kitMissing = e.kit_missing.join(",");
      row.querySelector(".rc-status-label").textContent = e.status_label;
      row.querySelectorAll(".rc-mark").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.status === e.status ? "true" : "false");
      });
      updateUnit(row.closest(".rc-unit"));
      if (panelRow === row) { fillPanel(row); }
    };

    var send = function (row, path, pairs) {
      row.classList.add("rc-saving");
      return post(base + row.dataset.entry + path, pairs).then(function (data) {
        applyEntry(row, data.entry);
        applySummary(data.summary);
        showMessage(message, "");
        row.classList.remove("rc-saving");
      }).catch(function (err) {
        row.classList.remove("rc-saving");
        row.classList.add("rc-error");
        showMessage(message, (err && err.message) || "Gagal menyimpan / Save failed");
      });
    };

    var fillPanel = function (row) {
      document.getElementById("rc-reason").value = row.dataset.reason || "";
      var missing = (row.dataset.kitMissing || "").split(",");
      panel.querySelectorAll(".rc-kit-item").forEach(function (box) { box.checked = missing.indexOf(box.value) >= 0; });
      panel.querySelectorAll(".rc-health").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.health === row.dataset.health ? "true" : "false");
      });
      panel.querySelector(".rc-kit-state").textContent = row.dataset.kitChecked === "1" ? "\u2713" : "";
    };

    var togglePanel = function (row, focusReason) {
      if (panelRow === row && !panel.hidden && !focusReason) {
        panel.hidden = true;
        panelRow = null;
        return;
      }
      panelRow = row;
      row.after(panel);
      fillPanel(row);
      panel.hidden = false;
      if (focusReason) { document.getElementById("rc-reason").focus(); }
    };

    root.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button");
      if (!btn || locked || btn.type === "submit") { return; }
      if (btn.dataset.panel) {
        if (!panelRow) { return; }
        if (btn.dataset.panel === "absent") {
          send(panelRow, "/kehadiran/", [["status", "absent"], ["reason", document.getElementById("rc-reason").value]]);
        } else if (btn.dataset.panel === "health") {
          send(panelRow, "/kesehatan/", [["health", btn.dataset.health]]);
        } else if (btn.dataset.panel === "kit") {
          var pairs = [];
          panel.querySelectorAll(".rc-kit-item:checked").forEach(function (box) { pairs.push(["missing", box.value]); });
          if (!pairs.length) { pairs.push(["none", "1"]); }
          send(panelRow, "/perlengkapan/", pairs);
        }
        return;
      }
      var row = btn.closest(".rc-row");
      if (!row) { return; }
      if (btn.classList.contains("rc-more")) {
        togglePanel(row, false);
      } else if (btn.classList.contains("rc-mark")) {
        if (btn.dataset.status === "absent") {
          togglePanel(row, true);
        } else {
          send(row, "/kehadiran/", [["status", btn.dataset.status]]);
        }
      }
    });

    var applyFilter = function () {
      var term = (search.value || "").trim().toLowerCase();
      var unit = unitFilter.value;
      var only = onlyUnmarked.checked;
      root.querySelectorAll(".rc-unit").forEach(function (section) {
        var visible = 0;
        var unitOk = !unit || section.dataset.unit === unit;
        section.querySelectorAll(".rc-row").forEach(function (row) {
          var ok = unitOk && (!term || row.dataset.search.indexOf(term) >= 0) && (!only || row.dataset.status === "unmarked");
          row.hidden = !ok;
          if (ok) { visible += 1; }
        });
        section.hidden = visible === 0;
      });
    };
    search.addEventListener("input", applyFilter);
    unitFilter.addEventListener("change", applyFilter);
    onlyUnmarked.addEventListener("change", applyFilter);

    root.querySelectorAll(".rc-unit").forEach(updateUnit);

    // Other operators mark too: refresh the counts now and then (rows refresh on reload).
    if (!locked) {
      window.setInterval(function () {
        if (document.hidden) { return; }
        fetch(root.dataset.summaryUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) { applySummary(data.summary); } })
          .catch(function () { /* offline for a moment: the next poll tries again */ });
      }, 15000);
    }
  }

  /* ---------------------------------------------------------------- equipment check */
  var eq = document.getElementById("equipment-check");
  if (eq) {
    var eqMessage = document.getElementById("eq-message");
    eq.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button.eq-mark");
      if (!btn || eq.dataset.locked === "1") { return; }
      var row = btn.closest(".eq-row");
      var pairs = [["result", btn.dataset.result]];
      var qty = row.querySelector(".eq-qty");
      if (qty && btn.dataset.result !== "missing") { pairs.push(["ready_quantity", qty.value]); }
      row.classList.add("rc-saving");
      post(eq.dataset.checkBase + row.dataset.check + "/", pairs).then(function (data) {
        row.classList.remove("rc-saving");
        row.dataset.result = data.check.result;
        row.querySelector(".rc-status-label").textContent = data.check.result_label;
        row.querySelectorAll(".eq-mark").forEach(function (b) {
          b.setAttribute("aria-pressed", b.dataset.result === data.check.result ? "true" : "false");
        });
        if (qty) { qty.value = data.check.ready_quantity; }
        data.equipment.forEach(function (e) {
          var tr = eq.querySelector('.eq-summary tr[data-kind="' + e.kind + '"]');
          if (!tr) { return; }
          tr.querySelectorAll("[data-field]").forEach(function (td) { td.textContent = e[td.dataset.field]; });
        });
        showMessage(eqMessage, "");
      }).catch(function (err) {
        row.classList.remove("rc-saving");
        showMessage(eqMessage, (err && err.message) || "Gagal menyimpan / Save failed");
      });
    });
  }
})();
