// The blind second review's page (articles.quality): the per-paragraph forms and keys the review
// page had before its toolbar (review.js). The blind page keeps a form per paragraph: it has
// only the four labels and a note, and no suggestions, undo or toolbar. Moving between paragraphs
// is focus-list.js (shared with quality.js), loaded before this.
// The review page's keyboard and save feedback. Every action is a real <form>; this script only
// submits those forms (htmx turns the submit into one POST) and shows when a save failed.
(function () {
  "use strict";

  const list = window.newsreview.focusList({
    selector: "#paragraphs .paragraph",
    idPrefix: "p-",
    key: "position",
  });
  const LABEL_KEYS = { v: "verified", u: "unverified", b: "boilerplate", x: "" };
  const focusParagraph = list.focus;
  const move = list.move;

  // Submitting through requestSubmit() fires the form's submit event, so htmx sends it (with the
  // CSRF header from <body>) and without htmx the browser would post it normally.
  function submit(form) {
    const paragraph = form.closest(".paragraph");
    if (paragraph) hideError(paragraph);
    form.requestSubmit();
  }

  function label(paragraph, value) {
    const form = paragraph && paragraph.querySelector('.label-form[data-label="' + value + '"]');
    if (!form) return;
    form.querySelector('input[name="method"]').value = "keyboard";
    submit(form);
    if (value) move(1);
  }

  function hideError(paragraph) {
    const box = paragraph.querySelector(".paragraph-error");
    if (box) box.hidden = true;
  }

  // A failed save must be visible: the paragraph says "Not saved" and Retry resends the same form.
  function showError(form, reason) {
    const paragraph = form.closest(".paragraph");
    if (!paragraph) {
      const box = document.getElementById("review-error");
      box.textContent = "Not saved. " + reason;
      box.hidden = false;
      return;
    }
    const box = paragraph.querySelector(".paragraph-error");
    box.querySelector(".paragraph-error-reason").textContent = reason;
    box.querySelector(".retry-button").onclick = function () {
      submit(form);
    };
    box.hidden = false;
  }

  function reasonFor(xhr) {
    if (!xhr || xhr.status === 0) return "The server could not be reached; check the connection.";
    if (xhr.status === 403) return "You are not allowed to do this (or your session ended).";
    const type = xhr.getResponseHeader("Content-Type") || "";
    if (xhr.status === 400 && type.indexOf("text/plain") === 0) {
      return xhr.responseText.replace(/^Not saved\.\s*/, "");
    }
    return "The server answered " + xhr.status + ".";
  }

  // The form that sent a request (some htmx events name the swap target in detail.elt instead).
  function sourceForm(detail) {
    const elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return elt && elt.closest ? elt.closest("form") : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    // 409: someone else changed the paragraph. The answer is the paragraph as it is now, with a
    // message and a retry form, so swap it in instead of treating it as an error.
    if (xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    // An expired session redirects the POST to the login page: nothing was saved, and the login
    // form must not be swapped in where the paragraph was.
    if (xhr.responseURL && new URL(xhr.responseURL).pathname.indexOf("/accounts/login/") === 0) {
      event.detail.shouldSwap = false;
      const form = sourceForm(event.detail);
      if (form) showError(form, "Your session ended: log in again in another tab, then retry.");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    const form = sourceForm(event.detail);
    if (form) showError(form, reasonFor(event.detail.xhr));
  });

  document.addEventListener("htmx:sendError", function (event) {
    const form = sourceForm(event.detail);
    if (form) showError(form, reasonFor(null));
  });

  document.addEventListener("htmx:afterSettle", function () {
    const active = document.activeElement;
    const again = list.last();
    if ((!active || active === document.body) && again) again.focus({ preventScroll: true });
  });

  document.addEventListener("keydown", function (event) {
    const help = document.getElementById("review-help");
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (help && help.open) return; // the dialog closes itself on Escape
    if (window.newsreview.typing(event.target)) {
      if (event.key === "Escape" && event.target.matches("textarea, input")) {
        const paragraph = event.target.closest(".paragraph");
        event.target.blur(); // leaving the note saves it (the form posts on change)
        focusParagraph(paragraph);
        event.preventDefault();
      }
      return;
    }
    const paragraph = list.current();
    switch (event.key) {
      case "j":
      case "ArrowDown":
        move(1);
        break;
      case "k":
      case "ArrowUp":
        move(-1);
        break;
      case "v":
      case "u":
      case "b":
      case "x":
        label(paragraph, LABEL_KEYS[event.key]);
        break;
      case "e": {
        const note = paragraph && paragraph.querySelector("textarea");
        if (note) note.focus();
        break;
      }
      case "n":
        window.location.href = document.getElementById("review-next").href;
        break;
      case "p":
        window.location.href = document.getElementById("review-previous").href;
        break;
      case "?":
        if (help) help.showModal();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    const openHelp = document.getElementById("review-help-open");
    if (openHelp) {
      openHelp.addEventListener("click", function () {
        document.getElementById("review-help").showModal();
      });
    }
    // After a form post without htmx the URL names the paragraph (#p-3); otherwise start at the
    // first paragraph that still needs a label.
    const all = list.all();
    const named = document.getElementById(window.location.hash.slice(1));
    const first = all.find((p) => p.dataset.label === "") || all[0];
    focusParagraph(named && named.classList.contains("paragraph") ? named : first);
  });
})();
