// Mentions in comments: a combobox beside each comment text box (progressive enhancement; without
// JavaScript one types @[Naam](user:nummer) by hand). Choosing a person or organisation inserts the
// unambiguous token at the cursor; the server resolves it by id or code. ARIA 1.2 combobox with a listbox.
(function () {
  "use strict";
  var texts = document.getElementById("mention-texts");
  if (!texts) { return; }
  var t = texts.dataset;
  var seq = 0;

  function enhance(area, n) {
    var base = (area.id || "reactie-" + n) + "-vermelden";
    var box = document.createElement("div");
    box.className = "mention-picker";
    var label = document.createElement("label");
    label.className = "utrecht-form-label";
    label.htmlFor = base;
    label.textContent = t.label;
    var input = document.createElement("input");
    input.type = "text"; input.id = base; input.autocomplete = "off";
    input.className = "utrecht-textbox utrecht-textbox--html-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-lijst");
    input.setAttribute("aria-describedby", base + "-hulp");
    var help = document.createElement("div");
    help.id = base + "-hulp"; help.className = "utrecht-form-field-description"; help.textContent = t.help;
    var list = document.createElement("ul");
    list.id = base + "-lijst"; list.className = "mention-picker__list";
    list.setAttribute("role", "listbox"); list.setAttribute("aria-label", t.list); list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden"; status.setAttribute("aria-live", "polite");
    box.append(label, help, input, list, status);
    area.insertAdjacentElement("afterend", box);

    var items = [], data = [], active = -1, timer = null;
    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; data = []; active = -1;
      input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      items.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
      else { input.removeAttribute("aria-activedescendant"); }
    }
    function choose(i) {
      var d = data[i];
      if (!d) { return; }
      var at = typeof area.selectionStart === "number" ? area.selectionStart : area.value.length;
      var before = area.value.slice(0, at), after = area.value.slice(at);
      var gap = before && !/\s$/.test(before) ? " " : "";
      area.value = before + gap + d.token + " " + after;
      var cursor = (before + gap + d.token + " ").length;
      close(); input.value = "";
      status.textContent = t.added.replace("%s", d.label);
      area.focus(); area.setSelectionRange(cursor, cursor);
    }
    function show(found) {
      list.innerHTML = ""; items = []; data = found; active = -1;
      if (!found.length) { close(); status.textContent = t.none; return; }
      found.forEach(function (d, k) {
        var li = document.createElement("li");
        li.id = base + "-optie-" + k; li.className = "mention-picker__option";
        li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        li.textContent = d.label + " (" + d.detail + ")";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(k); });
        list.appendChild(li); items.push(li);
      });
      list.hidden = false; input.setAttribute("aria-expanded", "true");
      status.textContent = t.found.replace("%d", String(found.length));
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.replace(/^@/, "").trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/reacties/namen?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (mine === seq) { show(body.items || []); } })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { close(); return; }
      if (list.hidden) { if (e.key === "Enter") { e.preventDefault(); } return; }
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Enter") { e.preventDefault(); choose(active >= 0 ? active : 0); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions]"), enhance);
})();
