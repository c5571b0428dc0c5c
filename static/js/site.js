/* Behaviour templates ask for with data attributes, so that pages need no inline scripts or event handlers
   (the Content-Security-Policy allows scripts from this site only):
   data-confirm="…" on a button or form asks before submitting; data-autosubmit on a select submits its form
   when changed; data-print on a button prints the page; data-warn-unsaved on a form asks before leaving the
   page while something typed into it is neither submitted nor autosaved (an element inside marked
   data-saved, swapped in by htmx after the form's autosave request, counts as saved). Delegated from the document, so it also works in
   fragments htmx swaps in. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var asking = target.closest("button[data-confirm], input[data-confirm], a[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-print]")) { window.print(); }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  // Unsaved changes: count edits to each data-warn-unsaved form; an autosave that answers "saved" clears the
  // edits made before it was sent, submitting the form clears them all.
  var edits = new WeakMap(), sentAt = new WeakMap();
  function watched(element) {
    var form = element && element.form;
    return form instanceof HTMLFormElement && form.hasAttribute("data-warn-unsaved") ? form : null;
  }
  function edited(event) {
    var form = watched(event.target);
    if (form) { edits.set(form, (edits.get(form) || 0) + 1); }
  }
  document.addEventListener("input", edited);
  document.addEventListener("change", edited);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!event.defaultPrevented && form instanceof HTMLFormElement && form.hasAttribute("data-warn-unsaved")) {
      edits.set(form, 0);
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-warn-unsaved")) {
      sentAt.set(form, edits.get(form) || 0);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-warn-unsaved")) { return; }
    var target = event.detail.target;
    if (target && target.querySelector("[data-saved]")) {
      edits.set(form, Math.max(0, (edits.get(form) || 0) - (sentAt.get(form) || 0)));
    }
  });
  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      if (edits.get(forms[i])) {
        event.preventDefault();
        event.returnValue = "";
        return;
      }
    }
  });
})();
