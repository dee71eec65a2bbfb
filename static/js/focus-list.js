// A list of items the keyboard walks through (j/k and the arrows): which item is current, focus
// on the next or previous one, and the last focused one remembered across htmx swaps (the swap
// replaces the element, so it is found again by id). Shared by the blind second review
// (blind.js) and the disagreement queue (quality.js); loaded before them, from our origin (CSP).
(function () {
  "use strict";

  // options.selector: the items ("#paragraphs .paragraph"); options.idPrefix: an item's id is
  // this plus its key ("p-"); options.key: the data attribute holding that key ("position").
  function focusList(options) {
    let currentKey = null;
    const all = () => Array.from(document.querySelectorAll(options.selector));
    const byKey = (key) => (key ? document.getElementById(options.idPrefix + key) : null);

    function current() {
      const active = document.activeElement;
      const inside = active && active.closest ? active.closest(options.selector) : null;
      return inside || byKey(currentKey);
    }

    function focus(element) {
      if (!element) return;
      currentKey = element.dataset[options.key];
      element.focus();
      element.scrollIntoView({ block: "nearest" });
    }

    function move(step) {
      const items = all();
      const index = items.indexOf(current());
      focus(items[Math.min(Math.max(index + step, 0), items.length - 1)]);
    }

    document.addEventListener("focusin", function (event) {
      const item = event.target.closest && event.target.closest(options.selector);
      if (item) currentKey = item.dataset[options.key];
    });

    return { all: all, current: current, focus: focus, move: move, last: () => byKey(currentKey) };
  }

  // Whether a key press is typing into a field (then it is not a shortcut).
  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  window.newsreview = Object.assign(window.newsreview || {}, { focusList: focusList, typing: typing });
})();
