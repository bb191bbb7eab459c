// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  function makeSearchable(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.placeholder = select.closest("form").dataset.filterPlaceholder || "Filter…";
    input.setAttribute("aria-label", input.placeholder);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !needle || option.selected || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
      });
    });
  }

  // A chart's PNG: its SVG file drawn on a canvas at twice its size (no server round trip
  // beyond the SVG; works offline and under the Content-Security-Policy, which allows data: images).
  function offerPng(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      fetch(button.dataset.pngFrom).then(function (r) { return r.text(); }).then(function (svg) {
        var image = new Image();
        image.onload = function () {
          var canvas = document.createElement("canvas");
          canvas.width = image.naturalWidth * 2;
          canvas.height = image.naturalHeight * 2;
          var context = canvas.getContext("2d");
          context.fillStyle = "#fff";
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.drawImage(image, 0, 0, canvas.width, canvas.height);
          var link = document.createElement("a");
          link.download = button.dataset.pngName;
          link.href = canvas.toDataURL("image/png");
          document.body.appendChild(link);
          link.click();
          link.remove();
          button.dataset.done = "true";
        };
        image.src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(svg)));
      });
    });
  }

  function enhance(root) {
    root.querySelectorAll("button[data-png-from]").forEach(offerPng);
    root.querySelectorAll("select[data-searchable]").forEach(makeSearchable);
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    // The page's address changes as htmx filters it (hx-push-url): the language switch takes
    // the address as it is now, filters included, not as it was when the page was drawn.
    root.querySelectorAll("form.lang").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.elements.next.value = window.location.pathname + window.location.search;
      });
    });
    root.querySelectorAll(".js-hidden").forEach(function (el) { el.hidden = true; });
    // A chart wider than a phone scrolls inside its figure (charts.css): the keyboard must
    // reach it to scroll it.
    root.querySelectorAll("figure").forEach(function (figure) {
      if (figure.scrollWidth > figure.clientWidth && !figure.hasAttribute("tabindex")) {
        figure.tabIndex = 0;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
