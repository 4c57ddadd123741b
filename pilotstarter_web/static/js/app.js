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

// Title autocomplete for the header search box: an ARIA 1.2 combobox with a listbox popup.
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  var list = document.getElementById("site-search-list");
  if (!input || !list) { return; }
  var timer = null, active = -1, items = [], seq = 0;
  function close() {
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function mark(i) {
    items.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); } else { input.removeAttribute("aria-activedescendant"); }
  }
  function show(data) {
    list.innerHTML = ""; items = []; active = -1;
    if (!data.length) { close(); return; }
    data.forEach(function (d, n) {
      var li = document.createElement("li");
      li.id = "site-search-opt-" + n; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      li.className = "site-search__option"; li.textContent = d.title; li.dataset.url = d.url;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = d.url; });
      list.appendChild(li); items.push(li);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/search/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (mine === seq) { show(data); } })
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.url; }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
