// The review page: one toolbar acting on the focused paragraph, keyboard shortcuts, undo, and
// visible save feedback (a failed save says so on its paragraph, is counted in the sticky bar
// and can be retried; every save is announced in an aria-live region).
//
// Without this script the page still works: each paragraph's number opens its own page with
// real forms, and the toolbar's Undo is a real form. With it, the toolbar posts for the focused
// paragraph through htmx.ajax(): the same URLs and fields as those forms, and the answer (the
// paragraph's <li>, progress and status out of band) is swapped in by htmx.
//
// Adding an action: a <button data-action="name"> in the toolbar, a case in act() and, if it has
// a key, one in the keydown switch.
(function () {
  "use strict";

  const LABEL_KEYS = { v: "verified", u: "unverified", b: "boilerplate", x: "" };
  const LABEL_NAMES = { verified: "Verified", unverified: "Unverified", boilerplate: "Boilerplate", "": "Unlabeled" };
  const POSITION_MARK = "/918273645/"; // the stand-in position in the page's URL templates
  let review = null;
  let currentPosition = null; // the paragraph that had focus last, to restore it after a swap
  const actions = new WeakMap(); // source element -> the action it sent, to retry or describe it

  const paragraphs = () => Array.from(document.querySelectorAll("#paragraphs .paragraph"));
  const byPosition = (position) => document.getElementById("p-" + position);

  function current() {
    const active = document.activeElement;
    const inside = active && active.closest ? active.closest("#paragraphs .paragraph") : null;
    if (inside) return inside;
    return currentPosition ? byPosition(currentPosition) : null;
  }

  function urlFor(template, position) {
    return template.replace(POSITION_MARK, "/" + position + "/");
  }

  // --- the toolbar follows the focused paragraph -------------------------------------------
  function showTarget(paragraph) {
    const target = document.getElementById("tools-target");
    if (!target || !paragraph) return;
    target.textContent = "¶ " + paragraph.dataset.position;
    const label = paragraph.dataset.label;
    document.querySelectorAll("#review-tools [data-action=label]").forEach(function (button) {
      if (button.dataset.label) button.setAttribute("aria-pressed", String(button.dataset.label === label));
    });
    const accept = document.querySelector("#review-tools [data-action=accept]");
    if (accept) accept.disabled = !paragraph.dataset.suggested;
  }

  function focusParagraph(element, options) {
    if (!element) return;
    currentPosition = element.dataset.position;
    element.focus(options || {});
    // Keep it clear of the sticky bar: scroll so that it sits below it when it is hidden there.
    const bar = document.getElementById("review-bar");
    const top = bar ? bar.getBoundingClientRect().bottom : 0;
    const box = element.getBoundingClientRect();
    if (box.top < top) window.scrollBy(0, box.top - top - 8);
    else if (box.bottom > window.innerHeight) element.scrollIntoView({ block: "nearest" });
    showTarget(element);
  }

  function move(step) {
    const all = paragraphs();
    const here = current();
    const index = here ? all.indexOf(here) : -1;
    focusParagraph(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
  }

  // --- saving --------------------------------------------------------------------------------
  function send(source, action) {
    actions.set(source, action);
    if (source.classList.contains("paragraph")) clearFailure(source);
    // A failed request rejects the promise; the htmx error events report it (showError).
    return htmx
      .ajax("POST", action.url, {
        source: source,
        target: action.target || source,
        swap: "outerHTML",
        values: action.values,
      })
      .catch(function () {});
  }

  function label(paragraph, value, method) {
    if (!paragraph) return;
    send(paragraph, {
      url: urlFor(review.dataset.labelUrl, paragraph.dataset.position),
      values: { label: value, version: paragraph.dataset.version, method: method },
      done: "Paragraph " + paragraph.dataset.position + ": " + LABEL_NAMES[value],
    });
    if (value) move(1);
  }

  function acceptSuggestion(paragraph) {
    if (!paragraph || !paragraph.dataset.suggested) return;
    send(paragraph, {
      url: review.dataset.acceptUrl,
      values: { position: paragraph.dataset.position },
      done: "Paragraph " + paragraph.dataset.position + ": suggestion accepted",
    });
    move(1);
  }

  // An edited paragraph's previous label (a new revision took it away) comes back only when
  // the reviewer, having read the diff, confirms it.
  function confirmPrevious(paragraph) {
    const form = paragraph && paragraph.querySelector(".previous-form");
    if (!form) return;
    form.requestSubmit();
    move(1);
  }

  function restIsBoilerplate(paragraph) {
    if (!paragraph) return;
    send(paragraph, {
      url: review.dataset.restUrl,
      values: { from_position: paragraph.dataset.position },
      target: "#paragraphs",
      done: "Boilerplate from paragraph " + paragraph.dataset.position + " on",
    });
  }

  function saveNote(paragraph, text) {
    send(paragraph, {
      url: urlFor(review.dataset.noteUrl, paragraph.dataset.position),
      values: { note: text, version: paragraph.dataset.version },
      done: "Paragraph " + paragraph.dataset.position + ": note",
    });
  }

  function undo() {
    const form = document.getElementById("undo-form");
    if (form) form.requestSubmit();
  }

  // --- what the reviewer is told ---------------------------------------------------------------
  function announce(text) {
    const live = document.getElementById("review-live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 30);
  }

  function toast(text, options) {
    const box = document.getElementById("review-toast");
    if (!box) return;
    document.getElementById("toast-text").textContent = text;
    document.getElementById("toast-undo").hidden = !(options && options.undo);
    box.classList.toggle("review-toast-error", Boolean(options && options.error));
    box.hidden = false;
  }

  function countUnsaved() {
    const failed = document.querySelectorAll("#paragraphs .paragraph.save-failed").length;
    const box = document.getElementById("review-unsaved");
    if (!box) return;
    box.querySelector("strong").textContent = String(failed);
    box.hidden = failed === 0;
  }

  function clearFailure(paragraph) {
    paragraph.classList.remove("save-failed");
    const box = paragraph.querySelector(".paragraph-error");
    if (box) box.remove();
    countUnsaved();
  }

  // A failed save must be visible: the paragraph says "Not saved", the bar counts it, and Retry
  // sends the same request again.
  function showError(source, reason) {
    const paragraph = source && source.closest ? source.closest("#paragraphs .paragraph") : null;
    const action = source ? actions.get(source) : null;
    if (!paragraph || !action) {
      const box = document.getElementById("review-error");
      box.textContent = "Not saved. " + reason;
      box.hidden = false;
      return;
    }
    clearFailure(paragraph);
    const box = document.createElement("div");
    box.className = "paragraph-error";
    box.setAttribute("role", "alert");
    const strong = document.createElement("strong");
    strong.textContent = "Not saved.";
    const why = document.createElement("span");
    why.className = "paragraph-error-reason";
    why.textContent = " " + reason + " ";
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "button retry-button";
    retry.textContent = "Retry";
    retry.addEventListener("click", function () {
      send(paragraph, action);
    });
    box.append(strong, why, retry);
    paragraph.querySelector(".paragraph-body").append(box);
    paragraph.classList.add("save-failed");
    countUnsaved();
    announce("Paragraph " + paragraph.dataset.position + " not saved: " + reason);
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

  const sourceOf = (detail) => (detail.requestConfig && detail.requestConfig.elt) || detail.elt;

  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    const type = xhr.getResponseHeader("Content-Type") || "";
    // 409 from undo: a colleague changed a paragraph since; the answer is the reason, in words.
    if (xhr.status === 409 && type.indexOf("text/plain") === 0) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      toast(xhr.responseText, { error: true });
      announce(xhr.responseText);
      return;
    }
    // 409: someone else changed the paragraph. The answer is the paragraph as it is now, with a
    // message and a retry form, so swap it in instead of treating it as an error.
    if (xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      announce("Not saved: someone else changed this paragraph.");
      return;
    }
    // An expired session redirects the POST to the login page: nothing was saved, and the login
    // form must not be swapped in where the paragraph was.
    if (xhr.responseURL && new URL(xhr.responseURL).pathname.indexOf("/accounts/login/") === 0) {
      event.detail.shouldSwap = false;
      showError(sourceOf(event.detail), "Your session ended: log in again in another tab, then retry.");
    }
  });

  // A signed-off article: the first label change withdraws the sign-off, so ask first (the page
  // says so too). Notes do not change the sign-off.
  document.addEventListener("htmx:confirm", function (event) {
    const review = document.getElementById("review");
    if (!review || review.dataset.signedOff !== "true") return;
    // Toolbar actions post from the paragraph itself (htmx.ajax with the <li> as source); forms
    // (the paragraph page, Undo, the A preview, a revision's Confirm) post from themselves.
    const elt = event.detail.elt;
    const form = elt && elt.closest ? elt.closest("form") : null;
    const fromParagraph = elt && elt.classList && elt.classList.contains("paragraph");
    if (!form && !fromParagraph) return;
    if (form && form.classList.contains("note-form")) return;
    if ((event.detail.path || "").indexOf("/note/") !== -1) return;
    event.preventDefault();
    const question = "This article is signed off. Changing a label withdraws the sign-off. Change it?";
    if (window.confirm(question)) {
      review.dataset.signedOff = "false";
      const panel = document.getElementById("quality-panel");
      if (panel) panel.hidden = true;
      event.detail.issueRequest(true);
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    showError(sourceOf(event.detail), reasonFor(event.detail.xhr));
  });

  document.addEventListener("htmx:sendError", function (event) {
    showError(sourceOf(event.detail), reasonFor(null));
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 200) return;
    if (xhr.responseURL && new URL(xhr.responseURL).pathname.indexOf("/accounts/login/") === 0) return;
    const source = sourceOf(event.detail);
    const action = source ? actions.get(source) : null;
    if (action) {
      actions.delete(source);
      toast(action.done + " — saved.", { undo: true });
      announce(action.done + ", saved.");
    } else if (source && source.id === "accept-all-form") {
      document.getElementById("accept-preview").open = false;
      toast("Suggestions accepted — saved.", { undo: true });
      announce("Suggestions accepted, saved.");
    }
  });

  // The undo's answer names what it did (HX-Trigger: review:undone).
  document.addEventListener("review:undone", function (event) {
    const detail = event.detail || {};
    toast(detail.message + " Press z again to undo the action before.");
    announce(detail.message);
    if (detail.position) currentPosition = String(detail.position);
  });

  document.addEventListener("htmx:afterSettle", function () {
    countSuggestions();
    countUnsaved();
    const active = document.activeElement;
    if ((!active || active === document.body) && currentPosition) {
      const again = byPosition(currentPosition);
      if (again) focusParagraph(again, { preventScroll: true });
    } else {
      showTarget(current());
    }
  });

  // --- suggestions: the count, and the preview that A opens --------------------------------------
  function countSuggestions() {
    const preview = document.getElementById("accept-preview");
    const count = document.getElementById("suggestion-count");
    if (!preview || !count) return;
    const suggested = document.querySelectorAll("#paragraphs .paragraph-suggested");
    const n = suggested.length;
    count.textContent = n + (n === 1 ? " paragraph" : " paragraphs");
    count.dataset.count = String(n);
    preview.hidden = n === 0;
    // How many come ticked: those at or above the Lead's threshold (the learned model's).
    const confident = document.getElementById("confident-count");
    if (confident) {
      confident.textContent = String(
        Array.from(suggested).filter(confidentEnough).length
      );
    }
  }

  function confidentEnough(paragraph) {
    const preview = document.getElementById("accept-preview");
    const threshold = Number((preview && preview.dataset.threshold) || 0);
    return Number(paragraph.dataset.confidence || 0) >= threshold;
  }

  // The list is rebuilt from the page as it is now: what the reviewer sees is what is sent.
  function openPreview() {
    const preview = document.getElementById("accept-preview");
    const list = document.getElementById("accept-list");
    if (!preview || preview.hidden) {
      toast("No suggestion is left to accept.");
      return;
    }
    list.replaceChildren();
    document.querySelectorAll("#paragraphs .paragraph-suggested").forEach(function (paragraph) {
      const item = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "positions";
      box.value = paragraph.dataset.position;
      box.checked = confidentEnough(paragraph);
      const where = document.createElement("span");
      where.className = "accept-position";
      where.textContent = "¶ " + paragraph.dataset.position + " ";
      const what = document.createElement("strong");
      what.textContent = LABEL_NAMES[paragraph.dataset.suggested] || paragraph.dataset.suggested;
      const sure = document.createElement("span");
      sure.className = "accept-confidence";
      sure.textContent = " " + (paragraph.dataset.confidence || "0") + "% sure";
      const text = document.createElement("span");
      text.className = "accept-text";
      const words = paragraph.querySelector(".paragraph-text").textContent.trim();
      text.textContent = " " + (words.length > 90 ? words.slice(0, 89) + "…" : words);
      label.append(box, where, what, sure, text);
      item.append(label);
      list.append(item);
    });
    preview.open = true;
    preview.scrollIntoView({ block: "start" });
    document.getElementById("accept-confirm").focus();
  }

  // --- the note dialog ---------------------------------------------------------------------------
  function openNote(paragraph) {
    const dialog = document.getElementById("note-dialog");
    if (!dialog || !paragraph) return;
    const existing = paragraph.querySelector(".paragraph-note-text");
    document.getElementById("note-position").textContent = paragraph.dataset.position;
    const text = document.getElementById("note-text");
    text.value = existing ? existing.textContent : "";
    dialog.dataset.position = paragraph.dataset.position;
    dialog.returnValue = "";
    dialog.showModal();
    text.focus();
  }

  function closeNote() {
    const dialog = document.getElementById("note-dialog");
    const paragraph = byPosition(dialog.dataset.position);
    if (dialog.returnValue === "save" && paragraph) {
      saveNote(paragraph, document.getElementById("note-text").value);
    }
    focusParagraph(paragraph);
  }

  // --- keys and buttons --------------------------------------------------------------------------
  function act(name, button) {
    const paragraph = current();
    switch (name) {
      case "label":
        label(paragraph, button.dataset.label, "click");
        break;
      case "rest":
        restIsBoilerplate(paragraph);
        break;
      case "accept":
        acceptSuggestion(paragraph);
        break;
      case "accept-all":
        openPreview();
        break;
      case "note":
        openNote(paragraph);
        break;
      case "undo":
        undo();
        break;
      case "help":
        document.getElementById("review-help").showModal();
        break;
    }
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function onKey(event) {
    const help = document.getElementById("review-help");
    const note = document.getElementById("note-dialog");
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if ((help && help.open) || (note && note.open)) return; // dialogs close themselves on Escape
    if (typing(event.target)) return;
    // Arrows always move; letters only for those who keep single-key shortcuts on (WCAG 2.1.4).
    if (event.key === "ArrowDown") return move(1), event.preventDefault();
    if (event.key === "ArrowUp") return move(-1), event.preventDefault();
    if (review.dataset.shortcuts !== "on") return;
    const paragraph = current();
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "v":
      case "u":
      case "b":
      case "x":
        if (!document.getElementById("review-tools")) return;
        label(paragraph, LABEL_KEYS[event.key], "keyboard");
        break;
      case "B":
        restIsBoilerplate(paragraph);
        break;
      case "a":
        acceptSuggestion(paragraph);
        break;
      case "A":
        openPreview();
        break;
      case "c":
        confirmPrevious(paragraph);
        break;
      case "e":
        openNote(paragraph);
        break;
      case "z":
        undo();
        break;
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
  }

  document.addEventListener("focusin", function (event) {
    const paragraph = event.target.closest && event.target.closest("#paragraphs .paragraph");
    if (paragraph) {
      currentPosition = paragraph.dataset.position;
      showTarget(paragraph);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    review = document.getElementById("review");
    if (!review) return;
    document.addEventListener("keydown", onKey);
    const tools = document.getElementById("review-tools");
    if (tools) {
      tools.hidden = false;
      document.getElementById("tools-nojs").hidden = true;
      tools.addEventListener("click", function (event) {
        const button = event.target.closest("button[data-action]");
        if (button) act(button.dataset.action, button);
      });
    }
    const toastUndo = document.getElementById("toast-undo");
    if (toastUndo) toastUndo.addEventListener("click", undo);
    const note = document.getElementById("note-dialog");
    if (note) note.addEventListener("close", closeNote);
    // After a form post without htmx the URL names the paragraph (#p-3); otherwise start at the
    // first paragraph that still needs a label.
    const all = paragraphs();
    const named = document.getElementById(window.location.hash.slice(1));
    const first = all.find((p) => p.dataset.label === "") || all[0];
    focusParagraph(named && named.classList.contains("paragraph") ? named : first);
  });
})();
