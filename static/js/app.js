/* DentalLab: the few behaviours every page shares (loaded in <head>, no framework).
   - marks <html> with .js at once, so CSS can hide what only works with scripts;
   - the header's menu button on phones and tablets (a disclosure: aria-expanded, Escape closes);
   - tables become labelled cards on phones: each cell gets data-label from its column header
     (CSS in app.css, "Responsive tables"), so every list, including newer apps', needs no edit. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector("[data-nav-toggle]");
    if (!toggle) return;
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  function headerLabels(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return null;
    var labels = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = (cell.getAttribute("data-label") || cell.textContent || "").replace(/[▲▼↕↑↓]/g, "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(text);
    });
    return labels;
  }

  function stackTables() {
    var tables = document.querySelectorAll("main table.table:not([data-no-stack])");
    Array.prototype.forEach.call(tables, function (table) {
      var labels = headerLabels(table);
      if (!labels) return;
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var span = cell.colSpan || 1;
            if (span === 1 && !cell.hasAttribute("data-label") && labels[column]) {
              cell.setAttribute("data-label", labels[column]);
            }
            if (span > 1) cell.classList.add("cell-wide");
            else if (!cell.querySelector(":scope > .cell-value") && cell.childNodes.length) {
              // One box for the cell's content, so a card row is "label | value" however many
              // elements the value has.
              var value = document.createElement("div");
              value.className = "cell-value";
              while (cell.firstChild) value.appendChild(cell.firstChild);
              cell.appendChild(value);
            }
            column += span;
          });
        });
      });
      table.classList.add("table-stack");
    });
  }

  // A larger preview of an image thumbnail: a native modal <dialog> (focus moves into it, Escape
  // and the Close button close it, focus returns to the thumbnail).
  function previewImage(button) {
    var dialog = document.getElementById("image-preview");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "image-preview";
      dialog.className = "image-preview";
      dialog.setAttribute("aria-labelledby", "image-preview-title");
      dialog.innerHTML =
        '<div class="image-preview-bar"><h2 class="h6 mb-0 text-truncate" id="image-preview-title"></h2>' +
        '<button type="button" class="btn btn-sm btn-outline-secondary" data-preview-close>Close</button></div>' +
        '<img class="image-preview-img" alt="">';
      document.body.appendChild(dialog);
      dialog.querySelector("[data-preview-close]").addEventListener("click", function () { dialog.close(); });
      dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    }
    var name = button.getAttribute("data-name") || "";
    dialog.querySelector("#image-preview-title").textContent = name;
    var img = dialog.querySelector("img");
    img.src = button.getAttribute("data-src");
    img.alt = name;
    dialog.showModal();
    dialog.querySelector("[data-preview-close]").focus();
  }

  function ready() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-image-preview]");
      if (button) previewImage(button);
    });
    setUpMenu();
    stackTables();
    // Lists that htmx swaps in later (the files panel) get their labels too.
    document.addEventListener("htmx:afterSettle", stackTables);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
