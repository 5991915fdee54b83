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
  /* Units show their own counts and an "all present" button. A whole Polres (data-lazy="1") starts with
     its units collapsed: a unit's rows are fetched when it is opened, a search asks the server. */
  var root = document.getElementById("rollcall");
  if (root) {
    var base = root.dataset.entryBase;
    var locked = root.dataset.locked === "1";
    var lazy = root.dataset.lazy === "1";
    var message = document.getElementById("rc-message");
    var panel = document.getElementById("rc-panel");
    var progress = document.getElementById("rc-progress");
    var search = document.getElementById("rc-search");
    var unitFilter = document.getElementById("rc-unit");
    var onlyUnmarked = document.getElementById("rc-only-unmarked");
    var results = document.getElementById("rc-results");
    var panelRow = null;

    var unitSection = function (unitId) {
      return root.querySelector('.rc-unit[data-unit="' + unitId + '"]');
    };

    var setUnitCounts = function (u) {
      var section = unitSection(u.id);
      if (!section) { return; }
      section.querySelector(".rc-unit-present").textContent = u.present;
      section.querySelector(".rc-unit-unmarked").textContent = u.unmarked;
      var all = section.querySelector(".rc-all-present");
      if (all) { all.disabled = locked || u.unmarked === 0; }
    };

    /* One officer changed from `before` to `after`: move the unit's counts by one. */
    var shiftUnitCounts = function (unitId, before, after) {
      var section = unitSection(unitId);
      if (!section || before === after) { return; }
      var present = section.querySelector(".rc-unit-present");
      var unmarked = section.querySelector(".rc-unit-unmarked");
      var u = { id: unitId, present: +present.textContent, unmarked: +unmarked.textContent };
      if (before === "present") { u.present -= 1; }
      if (after === "present") { u.present += 1; }
      if (before === "unmarked") { u.unmarked -= 1; }
      if (after === "unmarked") { u.unmarked += 1; }
      setUnitCounts(u);
    };

    var applySummary = function (s) {
      root.querySelectorAll("[data-count]").forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(s, el.dataset.count)) { el.textContent = s[el.dataset.count]; }
      });
      if (progress) { progress.max = s.roster || 1; progress.value = s.marked; }
    };

    var rowsOf = function (entryId) {
      return root.querySelectorAll('.rc-row[data-entry="' + entryId + '"]');
    };

    var showStatus = function (row, status, label) {
      row.dataset.status = status;
      row.querySelector(".rc-status-label").textContent = label;
      row.querySelectorAll(".rc-mark").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.status === status ? "true" : "false");
      });
    };

    var applyEntry = function (row, e) {
      shiftUnitCounts(row.dataset.unit, row.dataset.status, e.status);
      /* The same officer can be on screen twice (in a unit and in search results). */
      rowsOf(e.id).forEach(function (r) {
        r.dataset.health = e.health;
        r.dataset.reason = e.reason;
        r.dataset.kitChecked = e.kit_checked ? "1" : "0";
        r.dataset.kitMissing = e.kit_missing.join(",");
        showStatus(r, e.status, e.status_label);
        if (panelRow === r) { fillPanel(r); }
      });
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

    var closePanel = function () {
      panel.hidden = true;
      panelRow = null;
      root.appendChild(panel);
    };

    var togglePanel = function (row, focusReason) {
      if (panelRow === row && !panel.hidden && !focusReason) {
        closePanel();
        return;
      }
      panelRow = row;
      row.after(panel);
      fillPanel(row);
      panel.hidden = false;
      if (focusReason) { document.getElementById("rc-reason").focus(); }
    };

    var fetchRows = function (params) {
      var q = new URLSearchParams(params);
      if (onlyUnmarked.checked) { q.set("belum", "1"); }
      return fetch(root.dataset.rowsUrl + "?" + q.toString(), { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw { message: r.status + " " + r.statusText }; }
        return r.text();
      });
    };

    var fillList = function (list, html) {
      if (panel.parentNode === list) { closePanel(); }
      list.innerHTML = html;
    };

    var openUnit = function (section, reload) {
      var list = section.querySelector(".rc-list");
      var toggle = section.querySelector(".rc-unit-toggle");
      toggle.setAttribute("aria-expanded", "true");
      list.hidden = false;
      if (!lazy || (section.dataset.loaded === "1" && !reload)) { return Promise.resolve(); }
      section.classList.add("rc-saving");
      return fetchRows({ unit: section.dataset.unit }).then(function (html) {
        fillList(list, html);
        section.dataset.loaded = "1";
        section.classList.remove("rc-saving");
      }).catch(function (err) {
        section.classList.remove("rc-saving");
        showMessage(message, (err && err.message) || "Gagal memuat / Loading failed");
      });
    };

    var closeUnit = function (section) {
      section.querySelector(".rc-unit-toggle").setAttribute("aria-expanded", "false");
      section.querySelector(".rc-list").hidden = true;
      if (panelRow && section.contains(panelRow)) { closePanel(); }
    };

    var allPresent = function (section, btn) {
      var unmarked = +section.querySelector(".rc-unit-unmarked").textContent;
      var name = section.querySelector(".rc-unit-name").textContent;
      if (!window.confirm(name + ": " + root.dataset.confirmAll + " (" + unmarked + ")")) { return; }
      btn.disabled = true;
      section.classList.add("rc-saving");
      post(root.dataset.unitBase + section.dataset.unit + "/semua-hadir/", []).then(function (data) {
        data.marked.forEach(function (id) {
          rowsOf(id).forEach(function (r) { showStatus(r, data.status, data.status_label); });
        });
        setUnitCounts(data.unit);
        applySummary(data.summary);
        showMessage(message, "");
        section.classList.remove("rc-saving");
        openUnit(section, false);  /* the exceptions are marked next */
      }).catch(function (err) {
        section.classList.remove("rc-saving");
        btn.disabled = false;
        showMessage(message, (err && err.message) || "Gagal menyimpan / Save failed");
      });
    };

    root.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button");
      if (!btn || btn.type === "submit") { return; }
      var section = btn.closest(".rc-unit");
      if (btn.classList.contains("rc-unit-toggle")) {
        if (btn.getAttribute("aria-expanded") === "true") { closeUnit(section); } else { openUnit(section, false); }
        return;
      }
      if (locked) { return; }
      if (btn.classList.contains("rc-all-present")) {
        allPresent(section, btn);
        return;
      }
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

    /* Filters on the rows already on screen; a whole Polres searches on the server. */
    var applyFilter = function () {
      var term = (search.value || "").trim().toLowerCase();
      var unit = unitFilter.value;
      var only = onlyUnmarked.checked;
      root.querySelectorAll(".rc-unit").forEach(function (section) {
        var unitOk = !unit || section.dataset.unit === unit;
        if (lazy) {
          section.hidden = !unitOk || (term.length >= 2);
          section.querySelectorAll(".rc-row").forEach(function (row) {
            row.hidden = only && row.dataset.status !== "unmarked";
          });
          return;
        }
        var visible = 0;
        section.querySelectorAll(".rc-row").forEach(function (row) {
          var ok = unitOk && (!term || row.dataset.search.indexOf(term) >= 0) && (!only || row.dataset.status === "unmarked");
          row.hidden = !ok;
          if (ok) { visible += 1; }
        });
        section.hidden = visible === 0;
      });
    };

    var searchTimer = null;
    var serverSearch = function () {
      var term = (search.value || "").trim();
      applyFilter();
      if (term.length < 2) { results.hidden = true; return; }
      fetchRows({ q: term }).then(function (html) {
        if ((search.value || "").trim() !== term) { return; }  /* a newer search is on its way */
        fillList(results.querySelector(".rc-list"), html);
        results.hidden = false;
      }).catch(function (err) { showMessage(message, (err && err.message) || "Gagal memuat / Loading failed"); });
    };

    search.addEventListener("input", function () {
      if (!lazy) { applyFilter(); return; }
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(serverSearch, 300);
    });
    unitFilter.addEventListener("change", function () {
      applyFilter();
      if (lazy && unitFilter.value) { openUnit(unitSection(unitFilter.value), false); }
    });
    onlyUnmarked.addEventListener("change", applyFilter);

    // Other operators mark too: refresh the counts now and then (rows refresh on reload).
    if (!locked) {
      window.setInterval(function () {
        if (document.hidden) { return; }
        fetch(root.dataset.summaryUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            applySummary(data.summary);
            (data.units || []).forEach(setUnitCounts);
          })
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
