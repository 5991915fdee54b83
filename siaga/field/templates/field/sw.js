/* Siaga field app service worker (scope /lapangan/). Written here, no library: what it does fits on a page.
 *
 * - Assets (CSS, JS, icon): stored at install, served from the cache first.
 * - Field pages: network first (4 s), each good answer stored; with no signal the stored page is served, so the
 *   app opens cold with the network off after one visit. Pages are stored only from a 200 that is not a
 *   redirect (never the login page in place of a field page).
 * - Everything else (the API, POSTs) goes to the network untouched: the outbox (outbox.js) owns the writes.
 * A new asset list is a new version (the name below changes), which drops the old caches.
 */
"use strict";
var CONFIG = {{ config|safe }};
var ASSETS = "siaga-field-assets-" + CONFIG.version;
var PAGES = "siaga-field-pages";
var TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS).then(function (cache) { return cache.addAll(CONFIG.assets); }).then(function () {
      return caches.open(PAGES).then(function (cache) {
        // Each page on its own: one that fails (no right to it) must not stop the install.
        return Promise.all(CONFIG.pages.map(function (url) {
          return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
            if (response.ok && response.type === "basic") return cache.put(url, response);
          }).catch(function () {});
        }));
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("siaga-field-assets-") === 0 && k !== ASSETS; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return CONFIG.pages.indexOf(url.pathname) !== -1;
}

function networkFirst(request, path) {
  return new Promise(function (resolve) {
    var settled = false;
    function fromCache() {
      return caches.open(PAGES).then(function (cache) { return cache.match(path); });
    }
    var timer = setTimeout(function () {
      fromCache().then(function (hit) { if (hit && !settled) { settled = true; resolve(hit); } });
    }, TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { return cache.put(path, copy); });
      }
      if (!settled) { settled = true; resolve(response); }
    }, function () {
      clearTimeout(timer);
      fromCache().then(function (hit) {
        if (settled) return;
        settled = true;
        resolve(hit || new Response("<!doctype html><meta charset=utf-8><title>Siaga</title><p>Offline.</p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }));
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.open(ASSETS).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) { return hit || fetch(request); });
    }));
    return;
  }
  if (isPage(url)) event.respondWith(networkFirst(request, url.pathname));
});
