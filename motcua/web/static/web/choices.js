/* Searchable choice lists (issue #14 item 4): every <select data-searchable> gets a filter box
   above it; typing (with or without Vietnamese diacritics) keeps only the matching options.
   Without JavaScript the select stays a plain, alphabetically ordered list. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function enhance(select) {
    if (select.dataset.searchReady) { return; }
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "choice-filter";
    box.id = select.id + "-filter";
    box.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "hint";
    label.textContent = document.documentElement.lang === "en"
      ? "Filter the list (type a name, with or without diacritics)"
      : "Lọc danh sách (gõ tên, có dấu hoặc không dấu)";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(" ").filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.textContent);
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !shown;
        if (shown && option.value && first === null) { first = option; }
      });
      var current = select.options[select.selectedIndex];
      if (words.length && first && (!current || current.hidden || !current.value)) {
        first.selected = true;
      }
    });
  }
  function all() {
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else { all(); }
  document.addEventListener("htmx:afterSwap", all);
})();
