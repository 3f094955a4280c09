/* The visit record on a phone: a draft that survives a lost connection.
 *
 * Every change is kept in localStorage at once (state "saved on this device") and, when the
 * browser is online, sent to the server a moment later with the version the draft started
 * from (state "saved"); a stale version is refused by the server (409, state "conflict") and
 * the draft stays on the device. On load a kept draft is put back into the form. A service
 * worker keeps a copy of this page so that it also reloads without a connection.
 */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  var key = form.dataset.draftKey;
  var stateEl = document.getElementById("draft-state");
  var versionInput = form.querySelector("input[name=version]");
  var conflictActions = document.getElementById("conflict-actions");
  var timer = null;
  var saving = false;
  var storedVersion = null;
  var lastSaved = null;  // the fields as the server has them, once known

  function show(state) {
    stateEl.textContent = form.dataset["state" + state.charAt(0).toUpperCase() + state.slice(1)];
    stateEl.dataset.state = state;
    conflictActions.hidden = state !== "conflict";
  }

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version") return;
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.tagName === "TEXTAREA" || el.type === "text") {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function fill(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!(el.name in data)) return;
      if (el.type === "checkbox") el.checked = data[el.name].indexOf(el.value) >= 0;
      else if (el.tagName === "TEXTAREA" || el.type === "text") el.value = data[el.name];
    });
  }

  function keep() {
    // A "change" fires again when a field loses focus (a tap on a button): nothing to keep
    // then, and the state (a conflict's choice above all) stays as it is.
    var now = fields();
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (JSON.stringify(now) === (kept ? JSON.stringify(kept.fields) : lastSaved)) return false;
    var draft = { version: versionInput.value, fields: now, at: new Date().toISOString() };
    try {
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
    show("local");
    return true;
  }

  function send() {
    if (saving || !navigator.onLine || !localStorage.getItem(key)) return;
    saving = true;
    show("saving");
    var body = new FormData(form);
    var draft = JSON.parse(localStorage.getItem(key));
    body.set("version", draft.version || "");
    fetch(window.location.pathname, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }).then(function (result) {
      saving = false;
      if (result.status === 200) {
        versionInput.value = result.json.version;
        var current = JSON.parse(localStorage.getItem(key) || "null");
        lastSaved = JSON.stringify(draft.fields);
        if (current && current.at === draft.at) {
          localStorage.removeItem(key);
          show("saved");
          if ("caches" in window) {
            caches.open("mieval-visit-records").then(function (cache) {
              return cache.add(window.location.pathname);
            }).catch(function () {});
          }
        } else if (current) {
          // Changed while saving: the newer draft goes with the new version.
          current.version = result.json.version;
          localStorage.setItem(key, JSON.stringify(current));
          schedule();
        }
      } else if (result.status === 409 && result.json.state === "closed") {
        // The opinion went to the office meanwhile: the draft stays on this device.
        show("closed");
      } else if (result.status === 409) {
        storedVersion = result.json.version;
        show("conflict");
      } else {
        show("invalid");
      }
    }).catch(function () {
      saving = false;
      show("local");
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(send, 1200);
  }

  var kept = localStorage.getItem(key);
  if (!kept) lastSaved = JSON.stringify(fields());
  if (kept) {
    var draft = JSON.parse(kept);
    fill(draft.fields);
    // The draft goes on from the version it started from, whatever this copy of the page says.
    versionInput.value = draft.version || "";
    show("local");
    if (navigator.onLine) schedule();
  }
  form.addEventListener("input", function () { if (keep()) schedule(); });
  form.addEventListener("change", function () { if (keep()) schedule(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!localStorage.getItem(key)) {
      // Nothing changed since the last save: save what the form shows all the same.
      localStorage.setItem(key, JSON.stringify(
        { version: versionInput.value, fields: fields(), at: new Date().toISOString() }));
    }
    clearTimeout(timer);
    send();
  });
  // A conflict is the editor's to settle: keep the draft (saved over the stored record, by
  // choice), or drop it and read the stored one. Never settled silently.
  document.getElementById("draft-overwrite").addEventListener("click", function () {
    var current = JSON.parse(localStorage.getItem(key) || "null");
    if (!current) return;
    current.version = storedVersion === null ? "" : String(storedVersion);
    versionInput.value = current.version;
    localStorage.setItem(key, JSON.stringify(current));
    send();
  });
  document.getElementById("draft-discard").addEventListener("click", function () {
    localStorage.removeItem(key);
    window.location.reload();
  });
  window.addEventListener("online", function () { schedule(); });
  window.addEventListener("offline", function () { if (localStorage.getItem(key)) show("local"); });

  if ("serviceWorker" in navigator && "caches" in window) {
    navigator.serviceWorker.register(form.dataset.worker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // The page as the server sent it, and its scripts and styles, for a reload offline.
      var assets = [window.location.pathname];
      document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
        assets.push(el.href || el.src);
      });
      return caches.open("mieval-visit-records").then(function (cache) { return cache.addAll(assets); });
    }).then(function () {
      document.documentElement.dataset.offlineReady = "true";
    }).catch(function () { /* no offline copy: drafts still survive in localStorage */ });
  }
})();
