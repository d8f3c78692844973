// The unit tree: the page lists the user's unit and its children; a unit with sub-units gets a
// button that loads their rows (a fragment from the server, in the user's scope) under it, and
// folds them away again. Without JavaScript the buttons stay hidden and each unit's own page
// lists its sub-units. No inline script: the Content-Security-Policy allows only our own files.
(function () {
  "use strict";
  var tree = document.querySelector("[data-unit-tree]");
  if (!tree) {
    return;
  }

  function showToggles(root) {
    root.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
      button.hidden = false;
    });
  }

  // The rows below ``row`` that belong to its subtree (rows are in tree order).
  function descendants(row) {
    var path = row.dataset.path;
    var rows = [];
    var next = row.nextElementSibling;
    while (next && next.dataset.path && next.dataset.path.indexOf(path) === 0) {
      rows.push(next);
      next = next.nextElementSibling;
    }
    return rows;
  }

  function setExpanded(button, expanded) {
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
    var icon = button.querySelector("i");
    if (icon) {
      icon.className = expanded ? "bi bi-caret-down-fill" : "bi bi-caret-right-fill";
    }
  }

  tree.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tree-toggle]");
    if (!button || button.disabled) {
      return;
    }
    var row = button.closest("tr");
    if (button.getAttribute("aria-expanded") === "true") {
      descendants(row).forEach(function (child) {
        child.remove();
      });
      setExpanded(button, false);
      return;
    }
    button.disabled = true;
    fetch(button.dataset.treeToggle, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        row.insertAdjacentHTML("afterend", html);
        descendants(row).forEach(showToggles);
        setExpanded(button, true);
      })
      .catch(function () {
        window.location.href = row.querySelector("a").href; // the unit's page lists them too
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  showToggles(tree);
})();
