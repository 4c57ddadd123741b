// Progressive enhancement only: every feature works without JavaScript.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  // Live Markdown preview in the pilot editor (debounced), rendered and sanitized by the server.
  var body = document.querySelector("textarea[data-preview-target]");
  if (body) {
    var out = document.getElementById(body.getAttribute("data-preview-target"));
    var timer = null;
    var render = function () {
      fetch("/pilots/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
        body: JSON.stringify({ body: body.value }),
        credentials: "same-origin",
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { out.innerHTML = data.html; } })
        .catch(function () { /* keep the last preview */ });
    };
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    if (body.value) { render(); }
  }

  // Warn before leaving the editor with unsaved changes.
  var form = document.querySelector("form.pilot-form");
  if (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
  }
})();
