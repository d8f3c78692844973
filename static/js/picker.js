// Pickers: type-to-search on the unit and cadre choosers. A <select data-picker> (or a list of
// checkboxes whose inputs carry data-picker) works as it is without JavaScript; this adds a
// search box above it that hides what does not match (an <optgroup> or a group of checkboxes
// whose items all are hidden goes too). In a one-choice list, Enter takes the first match.
// No inline script, no network: the Content-Security-Policy allows only our own files.
(function () {
  "use strict";

  function matches(text, query) {
    return text.toLowerCase().indexOf(query) !== -1;
  }

  function searchBox(placeholder, label) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 picker-search";
    box.placeholder = placeholder;
    box.setAttribute("aria-label", placeholder + (label ? " " + label : ""));
    box.autocomplete = "off";
    return box;
  }

  function labelOf(element) {
    var label = element.id && document.querySelector("label[for='" + element.id + "']");
    return label ? label.textContent.trim() : "";
  }

  function enhanceSelect(select) {
    var box = searchBox(select.dataset.picker || "", labelOf(select));
    var size = select.size;
    select.parentNode.insertBefore(box, select);

    function visibleOptions() {
      return Array.prototype.filter.call(select.options, function (o) {
        return !o.hidden && o.value !== "";
      });
    }

    function filter() {
      var query = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        option.hidden = query !== "" && !matches(option.text + " " + group, query);
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) {
          return !o.hidden;
        });
      });
      if (!select.multiple) {
        // While searching, a one-choice list opens as a list box of the matches.
        var shown = visibleOptions().length;
        select.size = query === "" ? size : Math.max(2, Math.min(shown + 1, 10));
      }
    }

    function take(option) {
      option.selected = true;
      box.value = "";
      filter();
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // never submit the form from the search box
        var first = visibleOptions()[0];
        if (first && !select.multiple) {
          take(first);
          select.focus();
        }
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
    if (!select.multiple) {
      select.addEventListener("click", function (event) {
        if (box.value && event.target.tagName === "OPTION") {
          take(event.target);
        }
      });
    }
  }

  function enhanceCheckboxes(container) {
    var box = searchBox(container.querySelector("[data-picker]").dataset.picker || "", "");
    container.parentNode.insertBefore(box, container);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    box.addEventListener("input", function () {
      var query = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(container.querySelectorAll("input[data-picker]"), function (input) {
        var item = input.closest("label") || input.parentNode;
        var group = item.parentNode.parentNode.querySelector(":scope > label");
        var text = item.textContent + " " + (group ? group.textContent : "");
        item.parentNode.hidden = query !== "" && !matches(text, query);
      });
      Array.prototype.forEach.call(container.children, function (group) {
        var items = group.querySelectorAll("input[data-picker]");
        if (items.length > 1 || group.querySelector(":scope > label")) {
          group.hidden = !Array.prototype.some.call(items, function (input) {
            return !(input.closest("label") || input.parentNode).parentNode.hidden;
          });
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), enhanceSelect);
    var seen = [];
    Array.prototype.forEach.call(
      document.querySelectorAll("input[type=checkbox][data-picker]"),
      function (input) {
        var container = input.closest("div[id]");
        if (container && seen.indexOf(container) === -1) {
          seen.push(container);
          enhanceCheckboxes(container);
        }
      }
    );
  });
})();
