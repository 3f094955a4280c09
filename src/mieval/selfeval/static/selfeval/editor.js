/* mieval: the self-evaluation editor. Counts each section's characters against its limit and
   saves the draft every few seconds (data-autosave-seconds) while it has unsaved changes, with
   the version the page read: the server refuses a stale one (409) and the page says so and
   stops saving automatically. The limits themselves are checked on the server. */
(function () {
  "use strict";

  function length(text) { return text.trim().length; }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-form");
    if (!form) return;
    var status = document.getElementById("save-status");
    var version = form.querySelector("input[name=version]");
    var areas = form.querySelectorAll("textarea");
    var lastSaved = {};
    var stopped = false;
    var submitting = false;

    function snapshot() {
      var out = {};
      areas.forEach(function (a) { out[a.name] = a.value; });
      return out;
    }
    function dirty() {
      return Array.prototype.some.call(areas, function (a) { return a.value !== lastSaved[a.name]; });
    }
    function count(area) {
      var counter = form.querySelector('[data-counter-for="' + area.id + '"]');
      if (!counter) return;
      var max = Number(counter.dataset.maxChars);
      var n = length(area.value);
      counter.textContent = n + " / " + max;
      counter.classList.toggle("over", n > max);
    }
    function show(text, kind) {
      status.textContent = text;
      status.dataset.kind = kind;
    }

    lastSaved = snapshot();
    areas.forEach(function (a) {
      count(a);
      a.addEventListener("input", function () { count(a); });
    });

    function autosave() {
      if (stopped || submitting || !dirty()) return;
      var data = new FormData(form);
      data.set("autosave", "1");
      var sent = snapshot();
      show(status.dataset.saving, "saving");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      }).then(function (response) {
        return response.json().then(function (body) { return {status: response.status, body: body}; });
      }).then(function (result) {
        var body = result.body;
        if (body.ok) {
          version.value = body.version;
          var other = document.querySelector("#submit-form input[name=version]");
          if (other) other.value = body.version;
          lastSaved = sent;
          show(body.message, "saved");
        } else if (body.conflict) {
          stopped = true;
          show(body.message, "conflict");
        } else {
          show((body.problems || []).join(" "), "problem");
        }
      }).catch(function () { show(status.dataset.failed, "problem"); });
    }

    var seconds = Number(form.dataset.autosaveSeconds) || 20;
    window.setInterval(autosave, seconds * 1000);
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !dirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
