/* Behaviour templates ask for with data attributes, so that pages need no inline scripts or event handlers
   (the Content-Security-Policy allows scripts from this site only):
   data-confirm="…" on a button or form asks before submitting; data-autosubmit on a select submits its form
   when changed; data-print on a button prints the page; data-warn-unsaved on a form asks before leaving the
   page while something typed into it is neither submitted nor autosaved (an element inside marked
   data-saved, swapped in by htmx after the form's autosave request, counts as saved). Delegated from the document, so it also works in
   fragments htmx swaps in.
   data-menu-toggle on a button opens and closes the phone menu of the element its aria-controls names.
   data-line-filter="<table id>" on a (hidden) fieldset makes it a filter of that table's rows: it is shown, its
   data-line-filter-by controls (community, category, unfinished) hide the rows whose data-community /
   data-category differ or whose data-finished is "true", and data-line-count says how many rows are shown and
   hidden; a select[data-line-choice="<table id>"] then offers only the shown rows' data-report-line values.
   Rows marked data-finished="true" start folded to their first cell when the fieldset has
   data-fold-finished; their data-line-toggle button folds and unfolds them. The filter's choice is kept for the page while the tab is open (sessionStorage). */
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
    var menuToggle = target.closest("[data-menu-toggle]");
    if (menuToggle) {
      var menu = document.getElementById(menuToggle.getAttribute("aria-controls"));
      if (menu) {
        var open = menu.classList.toggle("menu-open");
        menuToggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
    }
    var lineToggle = target.closest("[data-line-toggle]");
    if (lineToggle) {
      var row = lineToggle.closest("tr");
      var folded = foldLine(row, !row.classList.contains("collapsed"));
      lineToggle.setAttribute("aria-expanded", folded ? "false" : "true");
      lineToggle.textContent = lineToggle.getAttribute(folded ? "data-closed-text" : "data-open-text");
      var bar = document.querySelector("[data-line-filter='" + row.closest("table").id + "']");
      if (bar) { filterLines(bar, false); }
    }
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
  // The report form's line filter (see above). Its controls are no part of the form around them: their events
  // stop here, before htmx's autosave or the unsaved-work count can see them.
  function foldLine(row, folded) {
    // Folded, the first cell spans the row, so that on a wide screen too the line takes one line.
    row.classList.toggle("collapsed", folded);
    row.cells[0].colSpan = folded ? row.cells.length : 1;
    return folded;
  }
  function filterValue(bar, by) {
    var control = bar.querySelector("[data-line-filter-by='" + by + "']");
    if (!control) { return ""; }
    return control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
  }
  function filterLines(bar, remember) {
    var table = document.getElementById(bar.getAttribute("data-line-filter"));
    if (!table || !table.tBodies.length) { return; }
    var community = filterValue(bar, "community"), category = filterValue(bar, "category");
    var unfinished = filterValue(bar, "unfinished");
    var rows = table.tBodies[0].rows, shown = 0, folded = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var hide = row.getAttribute("aria-invalid") !== "true" && (
        (community && row.getAttribute("data-community") !== community) ||
        (category && row.getAttribute("data-category") !== category) ||
        (unfinished && row.getAttribute("data-finished") === "true"));
      row.hidden = !!hide;
      if (!hide) {
        shown++;
        if (row.classList.contains("collapsed")) { folded++; }
      }
    }
    // The attachment form's line choice offers the lines shown (and 整份报告), nothing the filter hides.
    var choices = document.querySelectorAll("select[data-line-choice='" + table.id + "']");
    for (var c = 0; c < choices.length; c++) {
      for (var o = 0; o < choices[c].options.length; o++) {
        var option = choices[c].options[o];
        var line = option.value && table.querySelector("tr[data-report-line='" + option.value + "']");
        var off = !!(line && line.hidden);
        option.hidden = option.disabled = off;
        if (off && option.selected) { choices[c].value = ""; }
      }
    }
    var count = bar.querySelector("[data-line-count]");
    if (count) {
      count.textContent = count.getAttribute("data-text").replace("{shown}", shown).replace("{collapsed}", folded)
        .replace("{hidden}", rows.length - shown).replace("{total}", rows.length);
    }
    if (remember) {
      try {
        sessionStorage.setItem("line-filter:" + location.pathname,
          JSON.stringify({community: community, category: category, unfinished: unfinished}));
      } catch (e) { /* storage refused: the filter still works, it is just not kept */ }
    }
  }
  function lineFilterEvent(event) {
    var control = event.target instanceof Element ? event.target.closest("[data-line-filter-by]") : null;
    var bar = control && control.closest("[data-line-filter]");
    if (!bar) { return; }
    event.stopPropagation();
    if (event.type === "change") { filterLines(bar, true); }
  }
  document.addEventListener("change", lineFilterEvent, true);
  document.addEventListener("input", lineFilterEvent, true);
  function setUpLineFilters() {
    var bars = document.querySelectorAll("[data-line-filter]");
    for (var b = 0; b < bars.length; b++) {
      var bar = bars[b], table = document.getElementById(bar.getAttribute("data-line-filter"));
      if (!table) { continue; }
      var invalid = table.querySelector("tr[aria-invalid='true']");
      var fold = bar.hasAttribute("data-fold-finished");
      var toggles = table.querySelectorAll("tr[data-finished='true'] [data-line-toggle]");
      for (var t = 0; t < toggles.length; t++) {
        var toggle = toggles[t];
        toggle.hidden = false;
        toggle.setAttribute("data-closed-text", toggle.textContent);
        toggle.setAttribute("aria-expanded", fold ? "false" : "true");
        if (fold) { foldLine(toggle.closest("tr"), true); }
        else { toggle.textContent = toggle.getAttribute("data-open-text"); }
      }
      var saved = null;
      try { saved = JSON.parse(sessionStorage.getItem("line-filter:" + location.pathname) || "null"); } catch (e) { saved = null; }
      if (saved && !invalid) {
        ["community", "category", "unfinished"].forEach(function (by) {
          var control = bar.querySelector("[data-line-filter-by='" + by + "']");
          if (!control) { return; }
          if (control.type === "checkbox") { control.checked = !!saved[by]; }
          else if (control.querySelector("option[value='" + saved[by] + "']")) { control.value = saved[by]; }
        });
      }
      bar.hidden = false;
      filterLines(bar, false);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpLineFilters);
  } else {
    setUpLineFilters();
  }

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
