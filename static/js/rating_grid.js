/* The ratings grid: arrow keys move between cells; typing a level selects the next cell's text. */
(function () {
  "use strict";
  var CELL = "td input:not([type=hidden])";
  function isCell(element) { return element.matches && element.matches(".rating-grid " + CELL); }
  function cellAt(table, row, col) {
    var tr = table.tBodies[0].rows[row];
    return tr ? tr.querySelectorAll(CELL)[col] : null;
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isCell(input)) return;
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var move = moves[event.key];
    if (!move) return;
    var tr = input.closest("tr"), table = input.closest("table");
    var col = Array.prototype.indexOf.call(tr.querySelectorAll(CELL), input);
    var next = cellAt(table, tr.sectionRowIndex + move[0], col + move[1]);
    if (next) { event.preventDefault(); next.focus(); next.select(); }
  });
  document.addEventListener("focusin", function (event) {
    if (isCell(event.target)) event.target.select();
  });
}());
