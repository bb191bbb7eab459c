// The network drawing made interactive: zoom (buttons, wheel), pan (drag), and a party's
// links shown by choosing it (click, or Tab and Enter). Without this file the drawing is a
// still picture beside the same data as tables.
(function () {
  "use strict";

  function interactive(figure) {
    var svg = figure.querySelector("svg.network-chart");
    if (!svg || svg.dataset.interactive) return;
    svg.dataset.interactive = "1";
    svg.setAttribute("role", "group");  // a picture no more: it holds buttons now
    var drawn = svg.viewBox.baseVal;  // live: copied before the first zoom changes it
    var full = { x: drawn.x, y: drawn.y, width: drawn.width, height: drawn.height };
    var view = { x: full.x, y: full.y, width: full.width, height: full.height };
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll("path.edge"));
    var labels = {};
    nodes.forEach(function (node) { labels[node.dataset.key] = node.dataset.label; });

    function show() {
      svg.setAttribute("viewBox", [view.x, view.y, view.width, view.height].join(" "));
    }

    // Zoom by `factor` around the drawing point (x, y), kept where it is on the screen.
    function zoom(factor, x, y) {
      var width = Math.min(full.width, Math.max(full.width / 8, view.width / factor));
      var scale = width / view.width;
      view.x = x - (x - view.x) * scale;
      view.y = y - (y - view.y) * scale;
      view.width = width;
      view.height = view.height * scale;
      show();
    }

    function centre() {
      return [view.x + view.width / 2, view.y + view.height / 2];
    }

    function pointAt(event) {
      var box = svg.getBoundingClientRect();
      return [
        view.x + (event.clientX - box.left) / box.width * view.width,
        view.y + (event.clientY - box.top) / box.height * view.height,
      ];
    }

    var controls = document.createElement("div");
    controls.className = "network-controls";
    [
      ["+", figure.dataset.zoomIn, function () { zoom(1.5, centre()[0], centre()[1]); }],
      ["−", figure.dataset.zoomOut, function () { zoom(1 / 1.5, centre()[0], centre()[1]); }],
      ["⟲", figure.dataset.reset, function () {
        view = { x: full.x, y: full.y, width: full.width, height: full.height };
        show();
        choose(null);
      }],
    ].forEach(function (control) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = control[0];
      button.title = control[1];
      button.setAttribute("aria-label", control[1]);
      button.addEventListener("click", control[2]);
      controls.appendChild(button);
    });
    figure.insertBefore(controls, svg);
    var said = document.createElement("p");
    said.className = "network-said";
    said.setAttribute("aria-live", "polite");
    figure.appendChild(said);

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = pointAt(event);
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, at[0], at[1]);
    }, { passive: false });

    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.target.closest("g.node")) return;
      drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var box = svg.getBoundingClientRect();
      view.x = drag.view.x - (event.clientX - drag.x) / box.width * view.width;
      view.y = drag.view.y - (event.clientY - drag.y) / box.height * view.height;
      show();
    });
    svg.addEventListener("pointerup", function () { drag = null; });

    function choose(key) {
      svg.classList.toggle("focused", key !== null);
      var partners = [];
      edges.forEach(function (edge) {
        var lit = key !== null && (edge.dataset.a === key || edge.dataset.b === key);
        edge.classList.toggle("lit", lit);
        if (lit) partners.push(edge.dataset.a === key ? edge.dataset.b : edge.dataset.a);
      });
      nodes.forEach(function (node) {
        var lit = node.dataset.key === key || partners.indexOf(node.dataset.key) !== -1;
        node.classList.toggle("lit", lit);
        node.setAttribute("aria-pressed", node.dataset.key === key ? "true" : "false");
      });
      said.textContent = key === null ? "" : figure.dataset.linksOf + " " + labels[key] +
        " (" + partners.length + "): " + partners.map(function (k) { return labels[k]; })
          .filter(function (name, index, all) { return all.indexOf(name) === index; })
          .join(", ");
    }

    nodes.forEach(function (node) {
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", node.dataset.label);
      node.addEventListener("click", function () {
        choose(node.getAttribute("aria-pressed") === "true" ? null : node.dataset.key);
      });
      node.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          node.dispatchEvent(new MouseEvent("click"));
        }
      });
    });
    figure.addEventListener("keydown", function (event) {
      if (event.key === "Escape") choose(null);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure.network").forEach(interactive);
  });
})();
