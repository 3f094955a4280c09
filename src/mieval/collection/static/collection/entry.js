/* mieval: the data entry form. Marks the fields changed since the page loaded and asks before
   leaving the page with unsaved changes. The checks themselves run on the server (htmx). */
(function () {
  "use strict";

  var submitting = false;

  function changed(input) {
    return input.value.trim() !== (input.dataset.was || "");
  }

  function mark(input) {
    input.classList.toggle("is-changed", changed(input));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("entry-form");
    if (!form) return;
    var inputs = form.querySelectorAll("input.value-input");
    inputs.forEach(mark);
    form.addEventListener("input", function (event) {
      if (event.target.matches("input.value-input")) mark(event.target);
    });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting) return;
      var dirty = Array.prototype.some.call(inputs, changed);
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
