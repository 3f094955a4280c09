/* The visit records' service worker: network first; without a connection, the copy the page
 * put in the cache (the record page and its scripts and styles). Nothing else is cached. */
"use strict";
var CACHE = "mieval-visit-records";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  if (event.request.method !== "GET") return;
  event.respondWith(
    fetch(event.request).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(event.request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
          return hit || Response.error();
        });
      });
    })
  );
});
