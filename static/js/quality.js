// The disagreement queue's keyboard: j/k move, 1 takes the first opinion, 2 the second,
// v/u/b set a third. Every action is a real <form>; this only submits it (htmx sends it).
(function () {
  "use strict";

  const items = () => Array.from(document.querySelectorAll("#disagreement-list .disagreement"));
  const KEYS = { v: "verified", u: "unverified", b: "boilerplate" };
  let currentId = null; // the item that had focus last, to move on after its swap

  function current() {
    const active = document.activeElement;
    const inside = active && active.closest ? active.closest(".disagreement") : null;
    if (inside) return inside;
    return currentId ? document.getElementById("d-" + currentId) : null;
  }

  function focusItem(element) {
    if (!element) return;
    currentId = element.dataset.opinion;
    element.focus();
    element.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = items();
    const index = all.indexOf(current());
    focusItem(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
  }

  function settle(item, selector) {
    const form = item && item.querySelector(".settle-form" + selector);
    if (form) form.requestSubmit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const item = current();
    switch (event.key) {
      case "j":
      case "ArrowDown":
        move(1);
        break;
      case "k":
      case "ArrowUp":
        move(-1);
        break;
      case "1":
        settle(item, '[data-first="true"]');
        break;
      case "2":
        settle(item, '[data-second="true"]');
        break;
      case "v":
      case "u":
      case "b":
        settle(item, '[data-label="' + KEYS[event.key] + '"]');
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // 409: another Lead settled it, or its label changed; the answer says so, swap it in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a settlement, go on to the next paragraph still to settle.
  document.addEventListener("htmx:afterSettle", function (event) {
    const settled = event.detail.elt;
    if (!settled || !settled.classList || !settled.classList.contains("disagreement-settled")) {
      const again = currentId && document.getElementById("d-" + currentId);
      if (again) again.focus({ preventScroll: true });
      return;
    }
    const next = items().find(
      (element) => !element.classList.contains("disagreement-settled") && element !== settled
    );
    focusItem(next || settled);
  });

  document.addEventListener("focusin", function (event) {
    const item = event.target.closest && event.target.closest(".disagreement");
    if (item) currentId = item.dataset.opinion;
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusItem(items()[0]);
  });
})();
