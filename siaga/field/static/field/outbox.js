/* The field app's one outbox (IndexedDB database "siaga-field").
 *
 * Every field action (TPS arrival and situation, incident, guard check-in and handover, patrol check-in, apel
 * self check-in, escort status) is a JSON POST stored here first, with an Idempotency-Key (a UUID) made when
 * the officer pressed the button. Items are replayed one by one in the order they were filed:
 *   2xx          acknowledged: removed from the outbox, noted as sent;
 *   network, 5xx, 408, 429
 *                kept, retried later with exponential backoff (2 s doubling to 5 min, with jitter);
 *   401          kept: the session has ended; replay resumes after the officer logs in again;
 *   other 4xx    refused for good: removed from the outbox and noted with the server's message.
 * A resend after a lost answer (tab closed, network cut mid-request) carries the same key, so the server
 * answers it with the first answer instead of storing it twice. Tabs share the database; a Web Lock keeps two
 * tabs from replaying at once. Logging out empties the database (app.js).
 */
(function () {
  "use strict";
  var DB_NAME = "siaga-field";
  var OUTBOX = "outbox";
  var LOG = "log";
  var LOG_KEEP = 50;
  var dbPromise = null;
  var listeners = [];
  var retryTimer = null;
  var delay = 0;
  var paused = "";

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore(OUTBOX, { keyPath: "seq", autoIncrement: true });
        db.createObjectStore(LOG, { keyPath: "key" });
      };
      req.onsuccess = function () {
        var db = req.result;
        // Another tab deletes the database on logout: let it, and open afresh next time.
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = function () { dbPromise = null; reject(req.error); };
      req.onblocked = function () { dbPromise = null; reject(new Error("blocked")); };
    });
    return dbPromise;
  }

  function tx(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(stores, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
        result = work(t);
        if (result && typeof result === "object" && "onsuccess" in result) {
          var req = result;
          req.onsuccess = function () { result = req.result; };
        }
      });
    });
  }

  function all(store) {
    return tx([store], "readonly", function (t) { return t.objectStore(store).getAll(); });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function changed() {
    Promise.all([all(OUTBOX), all(LOG)]).then(function (r) {
      listeners.forEach(function (fn) { fn({ waiting: r[0], log: r[1], paused: paused }); });
    }, function () {});
  }

  function note(entry, state, message, status) {
    return tx([LOG], "readwrite", function (t) {
      var store = t.objectStore(LOG);
      store.put({ key: entry.key, label: entry.label, created: entry.created, state: state, message: message || "", status: status || 0, at: Date.now() });
      var req = store.getAll();
      req.onsuccess = function () {
        var rows = req.result.sort(function (a, b) { return b.at - a.at; });
        rows.slice(LOG_KEEP).forEach(function (r) { store.delete(r.key); });
      };
    });
  }

  function add(item) {
    var entry = { key: uuid(), url: item.url, body: item.body, label: item.label || item.url, created: Date.now() };
    return tx([OUTBOX], "readwrite", function (t) { t.objectStore(OUTBOX).add(entry); }).then(function () {
      changed();
      flush();
      return entry;
    });
  }

  function csrfToken() {
    var name = document.body.dataset.csrfCookie || "csrftoken";
    var found = document.cookie.split(";").map(function (c) { return c.trim(); }).filter(function (c) {
      return c.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  // API messages are "Indonesian / English"; the officer reads the half in the page's language.
  function ownLanguage(text) {
    var halves = String(text).split(" / ");
    if (halves.length !== 2) return String(text);
    return (document.documentElement.lang || "id").indexOf("en") === 0 ? halves[1] : halves[0];
  }

  function messageOf(data, status) {
    if (!data) return "HTTP " + status;
    var parts = [ownLanguage(data.message || ("HTTP " + status))];
    var fields = data.fields || {};
    Object.keys(fields).forEach(function (k) {
      parts.push(k + ": " + [].concat(fields[k]).map(ownLanguage).join(", "));
    });
    return parts.join(" · ");
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": entry.key },
      body: JSON.stringify(entry.body),
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function remove(entry) {
    return tx([OUTBOX], "readwrite", function (t) { t.objectStore(OUTBOX).delete(entry.seq); });
  }

  function first() {
    return tx([OUTBOX], "readonly", function (t) {
      var holder = { value: null };
      var req = t.objectStore(OUTBOX).openCursor();
      req.onsuccess = function () { holder.value = req.result ? req.result.value : null; };
      return holder;
    }).then(function (holder) { return holder.value; });
  }

  function schedule() {
    if (retryTimer) return;
    delay = Math.min(delay ? delay * 2 : 2000, 300000);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay * (0.5 + Math.random() / 2));
  }

  // One item after the other, oldest first: "replay in order". Resolves when the outbox is empty or stuck.
  function replay() {
    return first().then(function (entry) {
      if (!entry) { delay = 0; return "empty"; }
      return send(entry).then(function (r) {
        if (r.status >= 200 && r.status < 300) {
          return remove(entry).then(function () { return note(entry, "sent", "", r.status); }).then(function () {
            delay = 0; changed(); return replay();
          });
        }
        if (r.status === 401) { paused = "login"; changed(); return "login"; }
        if (r.status >= 500 || r.status === 408 || r.status === 429) { schedule(); changed(); return "retry"; }
        return remove(entry).then(function () { return note(entry, "refused", messageOf(r.data, r.status), r.status); }).then(function () {
          changed(); return replay();
        });
      }, function () { schedule(); changed(); return "retry"; });
    });
  }

  var running = null;
  function flush() {
    if (running) return running;
    paused = "";
    var work = function () { return replay(); };
    var locked = navigator.locks && navigator.locks.request
      ? navigator.locks.request("siaga-field-outbox", work)
      : work();
    running = Promise.resolve(locked).catch(function () { schedule(); }).then(function (result) {
      running = null;
      return result;
    });
    return running;
  }

  function clearAll() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    var done = open().then(function (db) { db.close(); dbPromise = null; }, function () {}).then(function () {
      return new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase(DB_NAME);
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      });
    });
    var caches_ = window.caches ? caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("siaga-field") === 0; }).map(function (k) { return caches.delete(k); }));
    }) : Promise.resolve();
    return Promise.all([done, caches_]);
  }

  window.addEventListener("online", function () { delay = 0; flush(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  setInterval(function () { if (!retryTimer) flush(); }, 30000);

  window.SiagaOutbox = {
    add: add,
    flush: flush,
    waiting: function () { return all(OUTBOX); },
    log: function () { return all(LOG); },
    clearAll: clearAll,
    onChange: function (fn) { listeners.push(fn); changed(); },
  };
  flush();
})();
