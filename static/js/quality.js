// The disagreement queue's keyboard: j/k move, 1 takes the first opinion, 2 the second,
// v/u/b set a third. Every action is a real <form>; this only submits it (htmx sends it). Moving
// between items is focus-list.js (shared with blind.js), loaded before this.
(function () {
  "use strict";

  const list = window.newsreview.focusList({
    selector: "#disagreement-list .disagreement",
    idPrefix: "d-",
    key: "opinion",
  });
  const KEYS = { v: "verified", u: "unverified", b: "boilerplate" };

  function settle(item, selector) {
    const form = item && item.querySelector(".settle-form" + selector);
    if (form) form.requestSubmit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (window.newsreview.typing(event.target)) return;
    const item = list.current();
    switch (event.key) {
      case "j":
      case "ArrowDown":
        list.move(1);
        break;
      case "k":
      case "ArrowUp":
        list.move(-1);
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
      const again = list.last();
      if (again) again.focus({ preventScroll: true });
      return;
    }
    const next = list.all().find(
      (element) => !element.classList.contains("disagreement-settled") && element !== settled
    );
    list.focus(next || settled);
  });

  document.addEventListener("DOMContentLoaded", function () {
    list.focus(list.all()[0]);
  });
})();
