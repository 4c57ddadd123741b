// The new-entry form's type choice (pilot, best practice, challenge): the status list and the outline follow the
// chosen type, and the outline is swapped only while the writer has not changed it. Without JavaScript the
// server does the same: the form comes back for the chosen type with a clear message (services/entry_types.py).
(function () {
  "use strict";
  var choice = document.querySelector(".entry-type-choice");
  var form = choice ? choice.closest("form") : null;
  if (!form || !window.JSON) { return; }
  var outlines = JSON.parse(choice.getAttribute("data-outlines") || "{}");
  var statuses = JSON.parse(choice.getAttribute("data-statuses") || "{}");
  var publish = JSON.parse(choice.getAttribute("data-publish") || "{}");
  var status = form.elements.status;
  var body = form.elements.body;
  function current() {
    var checked = choice.querySelector('input[type="radio"]:checked');
    return checked ? checked.value : "pilot";
  }
  var shown = current();
  function apply(type) {
    if (status && statuses[type]) {
      status.innerHTML = "";
      statuses[type].forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        status.appendChild(option);
      });
    }
    if (body && outlines[type] && (body.value.trim() === "" || body.value === outlines[shown])) {
      body.value = outlines[type];
      body.dispatchEvent(new Event("input", { bubbles: true }));  // the live preview follows
    }
    if (publish[type]) {
      form.querySelectorAll("button[name=action][value=save]").forEach(function (b) { b.textContent = publish[type]; });
    }
    shown = type;
  }
  choice.addEventListener("change", function (e) {
    if (e.target && e.target.type === "radio") { apply(e.target.value); }
  });
})();
