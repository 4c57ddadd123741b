// The edit-conflict page (pilots/_conflict.html): typing in a part's own text chooses "zelf aanpassen" for
// that part, so what one types is what is saved. Progressive: without JavaScript one picks the option by hand.
(function () {
  "use strict";
  document.querySelectorAll(".conflict-part__edit textarea").forEach(function (area) {
    var option = document.getElementById(area.id.replace("eigen-", "keuze-") + "-edit");
    if (!option) { return; }
    area.addEventListener("input", function () { option.checked = true; });
  });
})();
