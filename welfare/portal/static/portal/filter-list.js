// Progressive enhancement: a long list of checkboxes gets a search box that hides the options not matching
// what is typed (accents and case ignored). Without JavaScript the whole list stays, scrollable.
(function () {
  "use strict";
  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-filter-for]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-for"));
    var status = document.getElementById(input.getAttribute("data-filter-for") + "_status");
    if (!list) { return; }
    input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden");
    input.addEventListener("input", function () {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        var label = list.querySelector("label[for='" + box.id + "']") || box.closest("label");
        var text = normalise(label ? label.textContent : "");
        var match = box.checked || words.every(function (word) { return text.indexOf(word) !== -1; });
        (box.closest("div") || box).hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) { status.textContent = status.getAttribute("data-template").replace("{n}", shown); }
    });
  });
})();
