// Pickers (core/pickers.py): a text field that takes a code, or a select of the records a form
// offers, becomes a combobox that searches names in the reader's language on the server
// (WAI-ARIA 1.2 combobox with a listbox popup, after the GOV.UK accessible-autocomplete pattern).
// Without this file the field is a plain text input where a code or an exact name is typed, or
// the plain select.
(function () {
  "use strict";
  var made = 0;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setup(field) {
    if (field.dataset.pickerReady) return;
    field.dataset.pickerReady = "1";
    var select = field.tagName === "SELECT" ? field : null;
    var multiple = select ? select.multiple : field.hasAttribute("data-picker-multiple");
    var id = field.id || "picker-" + ++made;
    var input = field;
    var hidden = null;
    var chosen = null;
    if (select) {
      // The select keeps what is sent and what the form offers; the reader types names.
      input = document.createElement("input");
      input.type = "text";
      input.autocomplete = "off";
      input.spellcheck = false;
      input.id = id;
      select.id = id + "-value";
      select.hidden = true;
      select.required = false; // the server says a choice is missing, naming the field
      if (select.hasAttribute("aria-describedby")) {
        input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
      }
      if (select.hasAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
      select.parentNode.insertBefore(input, select);
      if (!multiple && select.selectedIndex >= 0 && select.value) {
        input.value = select.options[select.selectedIndex].text;
      }
    } else if (!multiple) {
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
    if (select && multiple) {
      // The chosen records, each with a button that removes it, above the field.
      chosen = document.createElement("ul");
      chosen.className = "picker-chosen";
      wrapper.appendChild(chosen);
    }
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

    function optionFor(value) {
      return Array.prototype.find.call(select.options, function (o) { return o.value === value; });
    }

    function showChosen() {
      chosen.innerHTML = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = document.createElement("li");
        item.textContent = option.text + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = "×";
        remove.setAttribute("aria-label", select.dataset.pickerRemove + ": " + option.text);
        remove.addEventListener("click", function () {
          option.selected = false;
          showChosen();
          notify(select);
          input.focus();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
      chosen.hidden = !select.selectedOptions.length;
    }

    // A pick the form does not offer, or one already chosen, is listed but cannot be chosen.
    function markUnavailable() {
      options().forEach(function (item) {
        if (!item.dataset.value) return;
        var option = optionFor(item.dataset.value);
        var note = !option ? select.dataset.pickerUnavailable
          : multiple && option.selected ? select.dataset.pickerChosen : "";
        if (!note) return;
        item.setAttribute("aria-disabled", "true");
        var span = document.createElement("span");
        span.className = "muted";
        span.textContent = " (" + note + ")";
        item.appendChild(span);
      });
    }

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
          if (select) markUnavailable();
          open(list.children.length > 0);
        });
    }

    function notify(element) {
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function choose(option) {
      if (!option || option.getAttribute("aria-disabled")) return;
      if (select) {
        optionFor(option.dataset.value).selected = true;
        if (multiple) {
          input.value = "";
          showChosen();
        } else {
          input.value = shown = option.dataset.text;
        }
        notify(select);
      } else if (multiple) {
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

    // Typed but not picked: in a select, the option of that exact name (or none: the server
    // then says what is missing); in a text field the server reads the text as a code or a name,
    // as without JavaScript. Whether a text was taken as a choice.
    function settle() {
      if (select) {
        var typed = fold(input.value);
        var named = Array.prototype.find.call(select.options, function (o) {
          return o.value && typed && (fold(o.text) === typed || fold(o.value) === typed);
        });
        if (multiple) {
          if (!named) return false;
          named.selected = true;
          input.value = "";
          showChosen();
        } else {
          if (input.value === shown) return false;
          select.value = named ? named.value : "";
          shown = input.value;
        }
        notify(select);
        return Boolean(named);
      }
      if (multiple || input.value === shown) return false;
      shown = input.value;
      hidden.value = input.value.trim();
      notify(hidden);
      return false;
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
        } else if (settle() || (select && multiple && input.value.trim())) {
          event.preventDefault(); // a name taken, or one still being typed: not yet the form's end
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
    if (chosen) showChosen();
  }

  function enhance(root) {
    root.querySelectorAll("input[data-picker], select[data-picker]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
