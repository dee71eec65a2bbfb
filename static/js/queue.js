// The queue's bulk selection: "select every article on this page" ticks the rows' checkboxes
// (they belong to the form #queue-bulk), and the count says how many are ticked. Without this
// script each row is ticked by hand; the form works the same.
(function () {
  "use strict";

  function rows() {
    return Array.from(document.querySelectorAll("#queue-results .row-select"));
  }

  function update() {
    const all = rows();
    const ticked = all.filter((box) => box.checked).length;
    const count = document.getElementById("bulk-selected-count");
    if (count) count.textContent = ticked ? "The " + ticked + " ticked row" + (ticked === 1 ? "" : "s") : "The ticked rows";
    const page = document.getElementById("select-page");
    if (page) {
      page.checked = all.length > 0 && ticked === all.length;
      page.indeterminate = ticked > 0 && ticked < all.length;
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "select-page") {
      rows().forEach((box) => (box.checked = event.target.checked));
    }
    if (event.target.id === "select-page" || event.target.classList.contains("row-select")) update();
  });
  document.addEventListener("htmx:afterSettle", update);
})();
