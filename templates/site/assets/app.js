/* nq57 site: table filters (diacritics-insensitive). No libraries, works from file://.
 * A filter is an <input data-filter="TABLE-ID" data-count="OUTPUT-ID">, matching the
 * first cell of each row (data-scope="row": the whole row) as one phrase, ignoring
 * case and diacritics ("bo tai chinh" finds "Bộ Tài chính"); ?q=... in the
 * address pre-fills it, so a filtered view can be shared as a link.
 * The target may also be a block of collapsible groups (<details data-group>, each with
 * a table): a group with no matching row is hidden, and groups open while filtering.
 * State for tests: <html data-js="ok"> once set up, data-errors="..." on a script error. */
(function () {
  "use strict";
  var doc = document.documentElement;
  window.addEventListener("error", function (event) {
    var previous = doc.getAttribute("data-errors");
    doc.setAttribute("data-errors", (previous ? previous + " | " : "") + event.message);
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setUp(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var count = document.getElementById(input.getAttribute("data-count"));
    var none = document.getElementById(table.id + "-none");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var groups = Array.prototype.slice.call(table.querySelectorAll("details[data-group]"));
    var whole = input.getAttribute("data-scope") === "row";  /* default: first cell */
    var keys = rows.map(function (row) {
      return fold((whole ? row : row.cells[0]).textContent);
    });

    function apply() {
      var query = fold(input.value);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = keys[i].indexOf(query) !== -1;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        var visible = group.querySelectorAll("tbody tr:not([hidden])").length;
        group.hidden = visible === 0;
        if (query) { group.open = true; }
      });
      table.setAttribute("data-shown", String(shown));
      if (count) { count.textContent = shown + " / " + rows.length; }
      if (none) { none.hidden = shown !== 0; }
    }

    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { input.value = query; }
    input.addEventListener("input", apply);
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), setUp);
  doc.setAttribute("data-js", "ok");
})();
