// Pickers (core/pickers.py): a text field that takes a code becomes a combobox that searches
// names in the reader's language on the server (WAI-ARIA 1.2 combobox with a listbox popup, after
// the GOV.UK accessible-autocomplete pattern). Without this file the field is a plain text input
// where a code or an exact name is typed.
(function () {
  "use strict";
  var made = 0;

  function setup(field) {
    if (field.dataset.pickerReady) return;
    field.dataset.pickerReady = "1";
    var multiple = field.hasAttribute("data-picker-multiple");
    var id = field.id || "picker-" + ++made;
    var input = field;
    var hidden = null;
    if (!multiple) {
      // The code travels in a hidden input; the reader sees and types names.
      hidden = field;
      input = field.cloneNode(false);
      input.removeAttribute("name");
      input.value = field.dataset.pickerText || field.value;
      hidden.type = "hidden";
      hidden.id = id + "-value";
      input.id = id;
      hidden.parentNode.insertBefore(input, hidden);
    }
    var shown = input.value;
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    if (input.labels && input.labels[0]) {
      input.labels[0].id = input.labels[0].id || id + "-label";
      list.setAttribute("aria-labelledby", input.labels[0].id);
    }
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var timer = null;
    var active = -1;
    var asked = 0;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function query() {
      return multiple ? input.value.split(",").pop().trim() : input.value.trim();
    }

    function search() {
      var text = query();
      var ticket = ++asked;
      if (!text) {
        list.innerHTML = "";
        open(false);
        return;
      }
      fetch(field.dataset.picker + "?q=" + encodeURIComponent(text), { headers: { Accept: "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (ticket !== asked) return; // an older answer arriving late
          var parsed = document.createElement("template");
          parsed.innerHTML = html;
          var note = parsed.content.querySelector(".picker-status");
          status.textContent = note ? note.textContent : "";
          if (note) note.remove();
          list.innerHTML = "";
          list.appendChild(parsed.content);
          open(list.children.length > 0);
        });
    }

    function notify(element) {
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function choose(option) {
      if (!option || option.getAttribute("aria-disabled")) return;
      if (multiple) {
        var codes = input.value.split(",").map(function (s) { return s.trim(); });
        codes[codes.length - 1] = option.dataset.value;
        input.value = codes.filter(Boolean).join(", ") + ", ";
      } else {
        input.value = shown = option.dataset.text;
        hidden.value = option.dataset.value;
        notify(hidden);
      }
      open(false);
      input.focus();
    }

    // Typed but not picked: the server reads the text as a code or a name, as without JavaScript.
    function settle() {
      if (multiple || input.value === shown) return;
      shown = input.value;
      hidden.value = input.value.trim();
      notify(hidden);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded && options().length) open(true);
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (expanded) highlight(active - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(options()[active]);
        } else {
          settle();
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          open(false);
        }
      } else if (event.key === "Tab") {
        open(false);
      }
    });
    // mousedown, not click: the input must not lose its focus (and settle) before the choice.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
      choose(event.target.closest("[role=option]"));
    });
    input.addEventListener("blur", function () {
      open(false);
      settle();
    });
  }

  function enhance(root) {
    root.querySelectorAll("input[data-picker]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
