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

// "Lijkt op bestaande pilots" while writing a new pilot: debounced, stale requests aborted, and a short
// announcement in a status region instead of the whole panel. Without JavaScript the server's check step
// before publishing shows the same panel; "Toch een nieuwe pilot starten" fills the same hidden field.
(function () {
  "use strict";
  var panel = document.getElementById("dubbels");
  var form = document.querySelector("form.pilot-form");
  if (!panel || !form || !window.fetch || !window.AbortController) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var status = document.getElementById("dubbels-status");
  var reviewed = document.getElementById("dubbels-reviewed");
  var fields = ["title", "summary", "body"].map(function (n) { return form.elements[n]; });
  var minWords = parseInt(panel.getAttribute("data-min-words"), 10) || 3;
  var timer = null, controller = null, lastKey = null, lastMessage = "";
  function entryType() {  // the type chosen on the form: a duplicate is only ever of the same type
    var checked = form.querySelector('input[name="entry_type"]:checked');
    return checked ? checked.value : "";
  }
  function text() { return fields.map(function (f) { return f ? f.value : ""; }).concat([entryType()]); }
  function seen() { return reviewed.value ? reviewed.value.split(",") : []; }
  function announce(message) {
    if (message !== lastMessage) { status.textContent = message; lastMessage = message; }
  }
  function show(data) {
    var fresh = data.duplicates.filter(function (s) { return seen().indexOf(s) < 0; });
    // After a dismissal only a duplicate not seen before brings the panel back.
    if (!data.count || (seen().length && !fresh.length)) {
      panel.hidden = true; panel.innerHTML = ""; lastMessage = "";
      return;
    }
    panel.innerHTML = data.html;
    panel.hidden = false;
    announce(data.message);
  }
  function check() {
    var values = text(), key = values.join("\u0000");
    if (key === lastKey) { return; }
    lastKey = key;
    if (controller) { controller.abort(); }
    if (values.slice(0, 3).join(" ").split(/\s+/).filter(Boolean).length < minWords) { return; }
    controller = new AbortController();
    fetch(panel.getAttribute("data-similar-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
      body: JSON.stringify({ title: values[0], summary: values[1], body: values[2], type: values[3] }),
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* aborted or offline: the check before publishing still applies */ });
  }
  fields.forEach(function (f) {
    if (!f) { return; }
    f.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    });
  });
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "entry_type") { clearTimeout(timer); timer = setTimeout(check, 500); }
  });
  panel.addEventListener("click", function (e) {
    var button = e.target.closest("[data-dismiss-duplicates]");
    if (!button) { return; }
    var slugs = seen().concat(button.getAttribute("data-dismiss-duplicates").split(","));
    reviewed.value = slugs.filter(function (s, i) { return s && slugs.indexOf(s) === i; }).join(",");
    panel.hidden = true; panel.innerHTML = "";
    announce(status.getAttribute("data-dismissed"));
    if (fields[2]) { fields[2].focus(); }
  });
  if (panel.hidden) { check(); } else { lastKey = text().join("\u0000"); }
})();

// Any screen: disclosures that are open on wide screens (the header menu, the search filters) — CSS shows their
// content there already; opening them helps browsers without ::details-content. A table's scroll region is a
// tab stop only while the table is wider than the page (keyboard users can then scroll it).
(function () {
  "use strict";
  var wide = window.matchMedia ? window.matchMedia("(min-width: 50rem)") : null;
  var disclosures = document.querySelectorAll("details.wide-open");
  var regions = document.querySelectorAll(".table-scroll");
  function fitRegions() {
    regions.forEach(function (r) {
      if (r.scrollWidth > r.clientWidth + 1) { r.setAttribute("tabindex", "0"); } else { r.removeAttribute("tabindex"); }
    });
  }
  function sync() {
    if (wide) { disclosures.forEach(function (d) { d.open = wide.matches; }); }
    fitRegions();
  }
  sync();
  if (wide && wide.addEventListener) { wide.addEventListener("change", sync); }
  window.addEventListener("resize", fitRegions);
})();

// "Nog een partner toevoegen" on the new-pilot form: shows the next partner field at once (without JavaScript
// the same button asks the server for one more field, keeping everything typed).
(function () {
  "use strict";
  var button = document.querySelector("[data-add-partner]");
  if (!button) { return; }
  button.addEventListener("click", function (e) {
    var next = document.querySelector(".partner-row[hidden]");
    if (!next) { return; }
    e.preventDefault();
    next.hidden = false;
    var input = next.querySelector("input");
    if (input) { input.focus(); }
    if (!document.querySelector(".partner-row[hidden]")) { button.hidden = true; }
  });
})();
